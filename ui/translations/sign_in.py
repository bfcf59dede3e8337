"""Russian for signing in through outside providers (OAuth 2.0 / OpenID Connect) and the profile page."""

RU: dict[str, str] = {
    # login page
    'Or sign in with another account': 'Или войдите через другой сервис',
    'Sign in with {provider}': 'Войти через {provider}',
    # profile page
    'Profile': 'Профиль',
    'Sign in to see your profile.': 'Войдите, чтобы увидеть свой профиль.',
    'Display name': 'Отображаемое имя',
    'Sign-in accounts': 'Аккаунты для входа',
    'This desk has no outside sign-in services set up.': 'Вход через внешние сервисы здесь не настроен.',
    'Linked': 'Привязан',
    'Linked on {date}': 'Привязан {date}',
    'Link {provider}': 'Привязать {provider}',
    # what the sign-in routes (channels/oauth.py) leave for the next page
    'Signing in with {provider} was cancelled.': 'Вход через {provider} отменён.',
    'Signing in with {provider} did not work. Try again later.':
        'Не удалось войти через {provider}. Попробуйте позже.',
    'Your {provider} account is linked.': 'Аккаунт {provider} привязан.',
    'Sign in first, then link your {provider} account on your profile.':
        'Сначала войдите, затем привяжите аккаунт {provider} в профиле.',
    # what the identity service refuses
    'This account is deactivated. Ask an administrator to turn it back on.':
        'Этот аккаунт отключён. Попросите администратора включить его снова.',
    'This {provider} account is already linked to another user.':
        'Этот аккаунт {provider} уже привязан к другому пользователю.',
    'Your account is already linked to another {provider} account.':
        'Ваш аккаунт уже привязан к другому аккаунту {provider}.',
    'The sign-in service sent an account we cannot use.':
        'Сервис входа прислал данные аккаунта, которые нельзя использовать.',
}
