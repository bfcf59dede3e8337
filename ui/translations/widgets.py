"""Russian for the chat widget: Admin → Widgets, the widget page visitors see, the visitor facts on a ticket."""

RU: dict[str, str] = {
    # Admin → Widgets
    'Widgets': 'Виджеты',
    'New widget': 'Новый виджет',
    'Edit widget "{name}"': 'Изменить виджет «{name}»',
    'No widgets yet.': 'Виджетов пока нет.',
    'A chat for your own website: visitors write without an account, and their conversations arrive in the inbox '
    'as tickets.': 'Чат для вашего сайта: посетители пишут без учётной записи, а их переписки приходят во входящие '
                   'как обращения.',
    'Greeting': 'Приветствие',
    'Hi! How can we help?': 'Здравствуйте! Чем можем помочь?',
    'Accent colour': 'Цвет',
    'Websites allowed to embed it, one a line': 'Сайты, которым можно встраивать виджет, по одному в строке',
    'Exactly scheme://host[:port], as https://shop.example.com, with no path.':
        'Ровно схема://хост[:порт], например https://shop.example.com, без пути.',
    "Visitor's name": 'Имя посетителя',
    "Visitor's email": 'Email посетителя',
    'Not asked': 'Не спрашивать',
    'Optional': 'Необязательно',
    'Required': 'Обязательно',
    'Offline message': 'Сообщение, когда никого нет',
    'Widget "{name}" saved.': 'Виджет «{name}» сохранён.',
    'Widget "{name}" deleted.': 'Виджет «{name}» удалён.',
    'Delete widget "{name}"? Its snippet stops working; its conversations stay.':
        'Удалить виджет «{name}»? Его код перестанет работать; переписки останутся.',
    'Websites': 'Сайты',
    'None yet: only the preview here shows it': 'Пока нет: показывает его только предпросмотр здесь',
    'Paste before </body> for a chat button:': 'Вставьте перед </body>, чтобы появилась кнопка чата:',
    'Or embed the chat itself, with no script:': 'Или встройте сам чат, без скрипта:',
    'Preview': 'Предпросмотр',
    # The widget page
    'This chat does not exist.': 'Такого чата нет.',
    'This chat is not enabled for this site.': 'Этот чат не подключён для этого сайта.',
    'Your name': 'Ваше имя',
    'Your email': 'Ваш email',
    # The ticket page
    'Website visitor': 'Посетитель сайта',
    'Page': 'Страница',
    'Came from': 'Откуда пришёл',
    'Browser language': 'Язык браузера',
    'Email': 'Email',
    # Refusals
    '"{origin}" is no website origin: write scheme://host[:port], as https://shop.example.com, with no path.':
        '«{origin}» — не адрес сайта: напишите схема://хост[:порт], например https://shop.example.com, без пути.',
    'At most {max} websites.': 'Не больше {max} сайтов.',
    'Choose a private queue: its tickets are what staff answer in the inbox.':
        'Выберите закрытую очередь: на её обращения сотрудники отвечают во входящих.',
    'Choose off, optional or required.': 'Выберите: не спрашивать, необязательно или обязательно.',
    'Give the colour as #rrggbb.': 'Укажите цвет как #rrggbb.',
    'Give the widget a name.': 'Дайте виджету название.',
    'Only admins manage chat widgets.': 'Виджетами чата управляют только администраторы.',
    'Only staff see who a visitor is.': 'Кто такой посетитель, видят только сотрудники.',
    'Tell us your name.': 'Назовите, пожалуйста, ваше имя.',
    'Tell us your email address.': 'Укажите, пожалуйста, ваш email.',
    'This is no email address.': 'Это не адрес электронной почты.',
    'Too many messages. Try again in {seconds} seconds.': 'Слишком много сообщений. Попробуйте через {seconds} с.',
    'This chat session is not valid; start a new one.': 'Этот сеанс чата недействителен; начните новый.',
}
