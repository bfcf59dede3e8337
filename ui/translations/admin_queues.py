"""Russian for Admin → Queues: queues, workflows, statuses, transitions, and what their service refuses."""

RU: dict[str, str] = {
    # page and queue list
    'Administration': 'Администрирование',
    'Queues': 'Очереди',
    'Workflows': 'Процессы',
    'You can look at queues and workflows; only admins change them.':
        'Очереди и процессы можно просматривать; менять их могут только администраторы.',
    'New queue': 'Новая очередь',
    'Edit': 'Изменить',
    'Edit queue {name}': 'Изменить очередь {name}',
    'Edit queue "{name}"': 'Изменить очередь «{name}»',
    'Workflow: {name}': 'Процесс: {name}',
    'Public board': 'Открытая доска',
    'Private desk': 'Закрытая служба',
    'Name': 'Название',
    'Visibility': 'Видимость',
    'Workflow': 'Процесс',
    'Save': 'Сохранить',
    'Queue "{name}" saved.': 'Очередь «{name}» сохранена.',
    # workflows and statuses
    'New workflow': 'Новый процесс',
    'Workflow created: add its statuses and transitions below.':
        'Процесс создан: добавьте его статусы и переходы ниже.',
    'New requests start in the first status.': 'Новые заявки начинаются с первого статуса.',
    'Shown as "{name}"': 'Показывается как «{name}»',
    'open': 'открыт',
    'active': 'в работе',
    'closed': 'закрыт',
    'Status name': 'Название статуса',
    'Kind': 'Вид',
    'Add status': 'Добавить статус',
    'Rename': 'Переименовать',
    'Rename status {name}': 'Переименовать статус {name}',
    'Rename status "{name}"': 'Переименовать статус «{name}»',
    'Move up': 'Выше',
    'Move down': 'Ниже',
    'Move {name} up': 'Поднять {name} выше',
    'Move {name} down': 'Опустить {name} ниже',
    'Delete': 'Удалить',
    'Delete status {name}': 'Удалить статус {name}',
    'Delete status "{name}"?': 'Удалить статус «{name}»?',
    'Its transitions are deleted with it.': 'Его переходы будут удалены вместе с ним.',
    'Move requests to': 'Перевести заявки в',
    'Move and delete': 'Перевести и удалить',
    '{count} requests moved.': 'Переведено заявок: {count}.',
    'Can move to:': 'Может перейти в:',
    'nowhere': 'никуда',
    'Moves': 'Переходы',
    'Change where {name} can move': 'Изменить, куда может перейти {name}',
    'Where can "{name}" move?': 'Куда может перейти «{name}»?',
    'Can move to': 'Может перейти в',
    '{count} statuses, more than the {max} a workflow may have now.':
        'Статусов: {count}, больше {max}, допустимых теперь в процессе.',
    'Statuses, page': 'Статусы, страница',
    # what the queue service refuses
    'Only staff can see queues and workflows.': 'Очереди и процессы видят только сотрудники.',
    'Only admins can change queues and workflows.': 'Менять очереди и процессы могут только администраторы.',
    'Enter a name.': 'Введите название.',
    'Choose public or private.': 'Выберите: открытая или закрытая.',
    'Choose open, active or closed.': 'Выберите: открыт, в работе или закрыт.',
    'This queue does not exist.': 'Такой очереди нет.',
    'This workflow does not exist.': 'Такого процесса нет.',
    'A queue named "{name}" exists already.': 'Очередь «{name}» уже есть.',
    'A workflow named "{name}" exists already.': 'Процесс «{name}» уже есть.',
    'This workflow has a status named "{name}" already.': 'В этом процессе уже есть статус «{name}».',
    '"{name}" is built in: its name and visibility stay.':
        '«{name}» — встроенная очередь: её название и видимость не меняются.',
    'This queue has requests, so its workflow cannot change.':
        'В очереди есть заявки, поэтому её процесс нельзя сменить.',
    'A workflow keeps at least one status.': 'В процессе должен остаться хотя бы один статус.',
    'A workflow has at most {max} statuses.': 'В процессе может быть не больше {max} статусов.',
    'The statuses changed meanwhile; look again and retry.':
        'Статусы тем временем изменились; посмотрите ещё раз и повторите.',
    'A transition joins two statuses of the same workflow.': 'Переход соединяет два статуса одного процесса.',
    'A status cannot lead to itself.': 'Статус не может вести сам в себя.',
    'This status is used by {count} requests; move them first.':
        'В этом статусе заявок: {count}; сначала переведите их в другой.',
    'Move the requests to another status.': 'Переведите заявки в другой статус.',
    'Move the requests to a status of the same workflow.': 'Переведите заявки в статус того же процесса.',
    'Moving these requests would give an author two open requests in a queue that allows one; '
    'close or move some of them first.':
        'После перевода у автора оказалось бы две открытые заявки в очереди, где разрешена одна; '
        'сначала закройте или переведите часть из них.',
    'Requests entered this status meanwhile; try again.': 'Тем временем в этот статус попали заявки; повторите.',
}
