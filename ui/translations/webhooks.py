"""Russian for Admin → Webhooks: endpoints, the delivery log, the verification help, and what the service refuses."""

RU: dict[str, str] = {
    # page, form and endpoints
    'Webhooks': 'Вебхуки',
    'New endpoint': 'Новый адрес',
    'Endpoint URL': 'URL адреса',
    'Events': 'События',
    'Secret (leave empty to have one made)': 'Секрет (оставьте пустым, и он будет создан)',
    'Add endpoint': 'Добавить адрес',
    'Endpoint #{id} added.': 'Адрес #{id} добавлен.',
    'No endpoints yet.': 'Адресов пока нет.',
    'Events: {events}': 'События: {events}',
    'Secret:': 'Секрет:',
    'Show': 'Показать',
    'Delivery log': 'Журнал доставок',
    'Switched off on {time} after {count} failed deliveries in a row. Fix the receiver, then switch it on again.':
        'Отключён {time} после {count} неудачных доставок подряд. Исправьте получателя и включите адрес снова.',
    'Failed deliveries in a row: {count}': 'Неудачных доставок подряд: {count}',
    'A ticket or request is created': 'Создана заявка или обращение',
    'A message is posted': 'Отправлено сообщение',
    'An internal note is added': 'Добавлена внутренняя заметка',
    'The status changes': 'Изменился статус',
    'A ticket is assigned': 'Обращение назначено',
    # delivery log
    'Delivery log of #{id}': 'Журнал доставок адреса #{id}',
    'Time': 'Время',
    'Event': 'Событие',
    'Code': 'Код',
    'Time (ms)': 'Время (мс)',
    'Error': 'Ошибка',
    'Retrying': 'Повтор',
    'Delivered': 'Доставлено',
    'Resend': 'Отправить снова',
    'Delivery {id} is queued again.': 'Доставка {id} снова в очереди.',
    'Nothing was delivered yet.': 'Доставок пока не было.',
    # help
    'How receivers check a delivery': 'Как получателю проверить доставку',
    'Each event is POSTed as JSON. X-Switchboard-Delivery names the delivery and stays the same on every retry and '
    'resend: drop a repeat by it. X-Switchboard-Signature is "t=<unix time>,v1=<hex>": an HMAC-SHA256 with the '
    'endpoint\'s secret over the time, a dot and the raw body. Refuse a time more than five minutes off, so a '
    'recorded delivery replayed later is refused. In Python:':
        'Каждое событие отправляется POST-запросом в JSON. X-Switchboard-Delivery называет доставку и не меняется '
        'при повторах и повторной отправке: по нему отбрасывайте дубли. X-Switchboard-Signature имеет вид '
        '"t=<unix-время>,v1=<hex>": HMAC-SHA256 с секретом адреса от времени, точки и тела запроса как есть. '
        'Отклоняйте время, отличающееся больше чем на пять минут, чтобы записанная и позже повторённая доставка '
        'была отклонена. На Python:',
    'Failed attempts are retried with growing pauses for about eight minutes; an endpoint whose deliveries keep '
    'failing is switched off, and admins are told by email and in the audit log.':
        'Неудачные попытки повторяются с растущими паузами около восьми минут; адрес, доставки на который '
        'продолжают срываться, отключается, а администраторы узнают об этом по почте и из журнала аудита.',
    # what the service refuses
    'Only admins manage webhooks.': 'Вебхуками управляют только администраторы.',
    'Enter the URL the events go to.': 'Введите URL, на который пойдут события.',
    'The URL is too long (at most {max} characters).': 'URL слишком длинный (не больше {max} символов).',
    'This is not a URL.': 'Это не URL.',
    'Webhook URLs start with http:// or https://.': 'URL вебхука начинается с http:// или https://.',
    'The URL names no host.': 'В URL нет хоста.',
    'Put no user name or password in the URL; the secret signs every delivery.':
        'Не указывайте в URL имя пользователя или пароль: каждую доставку подписывает секрет.',
    'The host {host} was not found.': 'Хост {host} не найден.',
    'Webhooks may not go to a loopback address ({address}).': 'Вебхуки не отправляются на loopback-адрес ({address}).',
    'Webhooks may not go to a private network address ({address}).':
        'Вебхуки не отправляются на адрес частной сети ({address}).',
    'Webhooks may not go to a link-local address ({address}).':
        'Вебхуки не отправляются на link-local-адрес ({address}).',
    'Webhooks may not go to a multicast address ({address}).':
        'Вебхуки не отправляются на multicast-адрес ({address}).',
    'Webhooks may not go to a reserved address ({address}).':
        'Вебхуки не отправляются на зарезервированный адрес ({address}).',
    'Choose at least one event.': 'Выберите хотя бы одно событие.',
    'There is no event "{kind}".': 'События «{kind}» нет.',
    'The secret needs {min} to {max} letters, digits or punctuation marks, without spaces.':
        'Секрет — от {min} до {max} латинских букв, цифр или знаков препинания, без пробелов.',
    'This webhook endpoint does not exist.': 'Такого адреса вебхука нет.',
    'This delivery does not exist.': 'Такой доставки нет.',
    'Switch the endpoint on first: a disabled endpoint gets nothing.':
        'Сначала включите адрес: отключённый адрес ничего не получает.',
    'This delivery is already queued.': 'Эта доставка уже в очереди.',
}
