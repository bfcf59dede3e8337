"""Russian for times as the viewer reads them, and the profile's time zone."""

RU: dict[str, str] = {
    'just now': 'только что',
    '{count} min ago': '{count} мин назад',
    '{count} h ago': '{count} ч назад',
    'yesterday, {time}': 'вчера, {time}',
    'Time zone': 'Часовой пояс',
    'From the browser': 'Как в браузере',
    'Unknown time zone.': 'Неизвестный часовой пояс.',
    'Times are shown in {zone}.': 'Время показано в поясе {zone}.',
}
