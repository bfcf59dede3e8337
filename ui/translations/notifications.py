"""Russian for the notification settings in the profile and their messages."""

RU: dict[str, str] = {
    'Email notifications': 'Уведомления по почте',
    'Email address': 'Адрес электронной почты',
    'Status of my requests changed': 'Изменился статус моих заявок',
    'A request was assigned to me': 'Мне назначили заявку',
    'Notification settings saved.': 'Настройки уведомлений сохранены.',
    'Unknown kind of notification: {kind}.': 'Неизвестный вид уведомления: {kind}.',
    'Enter the email address notifications should go to.': 'Укажите адрес, на который присылать уведомления.',
    'An email address has at most {count} characters.': 'Адрес электронной почты — не длиннее {count} символов.',
    'This is not an email address; it looks like name@example.com.':
        'Это не адрес электронной почты; он выглядит так: name@example.com.',
}
