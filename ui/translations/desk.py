"""Russian for the support chat, the staff inbox and ticket pages, and their services' messages."""

RU: dict[str, str] = {
    'The author already has another open request in this queue.':
        'У автора уже есть другая открытая заявка в этой очереди.',
    'The support queue is missing: the database was not migrated.':
        'Очередь поддержки не найдена: база данных не обновлена.',
    'Only staff can work tickets.': 'С обращениями работают только сотрудники.',
    'Tickets go to active agents only.': 'Обращения назначаются только активным сотрудникам.',
    'Unknown assignee filter.': 'Неизвестный фильтр по исполнителю.',
}
