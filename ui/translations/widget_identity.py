"""Russian for the widget's identity and offline parts: signing in inside it, the host site's users, away notices."""

RU: dict[str, str] = {
    # Admin → Widgets
    'Signed-in users of your site (optional)': 'Вошедшие пользователи вашего сайта (необязательно)',
    'Your site may tell the chat who its signed-in user is, so their conversations follow them to every browser. '
    'Compute HASH on your server, never in the page:':
        'Ваш сайт может сообщить чату, кто из его пользователей вошёл, — тогда переписка будет с ними в любом '
        'браузере. Вычисляйте HASH на своём сервере, никогда в странице:',
    'Secret': 'Секрет',
    'Rotate secret': 'Сменить секрет',
    'Or in the iframe, after "#" (URL-encode the values): a fragment never reaches a server, so the email stays out '
    'of every log.':
        'Или в iframe, после «#» (значения в URL-кодировке): фрагмент адреса не уходит на сервер, и email не '
        'попадает ни в какие журналы.',
    'A wrong or missing HASH is refused: the visitor then chats as a guest and is never joined to that user.':
        'Неверный или отсутствующий HASH отклоняется: посетитель пишет как гость и не связывается с этим '
        'пользователем.',
    'New secret: update it on your site now; the old one is refused from now on.':
        'Новый секрет: обновите его на сайте сейчас — старый больше не принимается.',
    # The widget page
    'Nobody is online right now. Leave your message: we answer here, and by email if you leave your address.':
        'Сейчас никого нет на связи. Оставьте сообщение: мы ответим здесь, а если оставите адрес — и по почте.',
    'Nobody is online right now. Leave your message: we answer here as soon as we are back.':
        'Сейчас никого нет на связи. Оставьте сообщение: мы ответим здесь, как только вернёмся.',
    'Your email, for our answer': 'Ваш email для ответа',
    'Sign in to keep this conversation with your account': 'Войдите, чтобы сохранить переписку в своём аккаунте',
    'Create an account to keep this conversation': 'Создайте аккаунт, чтобы сохранить переписку',
    'I have an account': 'У меня есть аккаунт',
    'Signed in as {name}': 'Вы вошли как {name}',
    'Signed in: this conversation is kept with your account.': 'Вы вошли: переписка сохранена в вашем аккаунте.',
    # Audit log and timeline
    'Widget visitor signed in': 'Посетитель виджета вошёл',
    'Widget visitor signed out': 'Посетитель виджета вышел',
    'Widget visitor identified by the site': 'Сайт подтвердил посетителя виджета',
    "Widget visitor's history joined": 'История посетителя виджета объединена',
    'Ticket merged into another': 'Обращение объединено с другим',
    '{who} signed in: the messages moved to ticket #{id}': '{who} вошёл(а): сообщения перенесены в обращение №{id}',
    # Refusals
    'This site could not confirm who you are, so you chat as a guest.':
        'Сайт не смог подтвердить, кто вы, поэтому вы пишете как гость.',
    'This widget does not exist.': 'Такого виджета нет.',
    'Staff answer visitors in the inbox: sign in there.': 'Сотрудники отвечают посетителям во входящих: войдите там.',
}
