"""Russian for what the tickets of every queue say (the API's /tickets): filing, writing, filters."""

RU: dict[str, str] = {
    'Unknown kind of status.': 'Неизвестный вид статуса.',
    'Requests in {queue} are filed through their own form.': 'Заявки в «{queue}» подаются через их собственную форму.',
    'Only staff file tickets for someone else.': 'Подавать обращения за другого могут только сотрудники.',
    '{name} already has an open ticket in {queue}.': 'У {name} уже есть открытое обращение в «{queue}».',
    'Internal notes are for staff only.': 'Внутренние заметки доступны только сотрудникам.',
    "Only its customer and staff write in a ticket; on the board, respond through the request's conversations.":
        'В обращении пишут только его клиент и сотрудники; на доске отвечайте в переписках заявки.',
    'This ticket is closed. Reopen it to continue the conversation.':
        'Обращение закрыто. Откройте его снова, чтобы продолжить переписку.',
    'There is no such active user.': 'Такого активного пользователя нет.',
    'This event id is newer than any event.': 'Этот номер события новее любого события.',
}
