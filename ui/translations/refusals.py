"""Russian for the pages shown instead of one: not found, sign in first, no access."""

RU: dict[str, str] = {
    'Home': 'На главную',
    'Sign in to see this page.': 'Войдите, чтобы увидеть эту страницу.',
    'No access': 'Нет доступа',
    'You do not have access to this page.': 'У вас нет доступа к этой странице.',
    'Only staff look users up.': 'Искать пользователей могут только сотрудники.',
}
