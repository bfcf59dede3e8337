"""Russian for the drawer and the header's user menu."""

RU = {
    'Menu': 'Меню',
    'Settings': 'Настройки',
    'Signed in as': 'Вы вошли как',
    'Light mode': 'Светлая тема',
}
