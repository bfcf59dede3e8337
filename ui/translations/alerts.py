"""Russian for telling agents a customer wrote: the toast, and the profile's settings for it."""

RU: dict[str, str] = {
    '{name} wrote: {title}': '{name} пишет: {title}',
    '{name} wrote': '{name} пишет',
    'Open ticket': 'Открыть',
    'When a customer writes': 'Когда пишет клиент',
    'A notice shows in every open tab of this desk when a customer writes on a ticket assigned to you, or on an '
    'unassigned ticket in the queues you work.':
        'Во всех открытых вкладках появляется уведомление, когда клиент пишет в назначенное вам обращение или в '
        'неназначенное обращение из ваших очередей.',
    'Queues I work': 'Мои очереди',
    'None chosen: every queue.': 'Ничего не выбрано — все очереди.',
    'Play a sound': 'Звуковой сигнал',
    'Show browser notifications': 'Уведомления браузера',
    'Alert settings saved.': 'Настройки оповещений сохранены.',
    'The browser did not allow notifications. Allow them for this site in the browser\'s settings, then tick the '
    'box again.':
        'Браузер не разрешил уведомления. Разрешите их для этого сайта в настройках браузера и снова отметьте '
        'флажок.',
    'This browser cannot show notifications.': 'Этот браузер не умеет показывать уведомления.',
    'Only staff are told of customers\' messages.': 'Оповещения о сообщениях клиентов — только для сотрудников.',
    'Choose queues of the inbox.': 'Выберите очереди из входящих.',
}
