"""Russian for the Orders pages, the queue-defined fields and the messages about amounts and items."""

RU: dict[str, str] = {
    # the order list and the "New order" dialog
    'Orders': 'Заказы',
    'Orders: {count}': 'Заказов: {count}',
    'Orders: more than {count}': 'Заказов: больше {count}',
    'No orders yet.': 'Заказов пока нет.',
    'No orders in this status.': 'Заказов в этом статусе нет.',
    'Sign in to place orders and follow them.': 'Войдите, чтобы оформлять заказы и следить за ними.',
    'New order': 'Новый заказ',
    'Place order': 'Оформить заказ',
    'Order #{id} placed.': 'Заказ №{id} оформлен.',
    'Order': 'Заказ',
    'Items': 'Позиций',
    'Item': 'Товар',
    'Quantity': 'Кол-во',
    'Unit price': 'Цена',
    'Amount': 'Сумма',
    'Total': 'Итого',
    'Total: {amount}': 'Итого: {amount}',
    'Add item': 'Добавить товар',
    'Remove item': 'Удалить товар',
    '{label} (optional)': '{label} (необязательно)',
    # an order's page
    'All orders': 'Все заказы',
    'Placed': 'Оформлен',
    'Last change': 'Последнее изменение',
    'Conversation with the shop': 'Переписка с магазином',
    'This order does not exist.': 'Такого заказа нет.',
    # the Orders queue's fields (labels stored with the queue)
    'Line items': 'Товары',
    'Delivery address': 'Адрес доставки',
    'Note': 'Заметка',
    # values of the queue's fields
    'This queue has no field "{key}".': 'В этой очереди нет поля «{key}».',
    'Fill in this field.': 'Заполните это поле.',
    'Add at least one item.': 'Добавьте хотя бы один товар.',
    'Enter text here.': 'Здесь нужен текст.',
    'Enter a number.': 'Введите число.',
    'Enter a number between -{max} and {max}.': 'Введите число от -{max} до {max}.',
    'Items come as a list.': 'Товары передаются списком.',
    'At most {max} items (now {count}).': 'Не больше {max} товаров (сейчас {count}).',
    'Item {item}: give a name, a quantity and a unit price.': 'Товар {item}: укажите название, количество и цену.',
    'Item {item}: enter a name.': 'Товар {item}: введите название.',
    'Item {item}: the quantity is a whole number from 1 to {max}.':
        'Товар {item}: количество — целое число от 1 до {max}.',
    'Enter an amount.': 'Введите сумму.',
    'Enter an amount like 12.50.': 'Введите сумму, например 12,50.',
    'An amount cannot be negative.': 'Сумма не может быть отрицательной.',
    'At most {max}.': 'Не больше {max}.',
    'Enter an amount in cents, a whole number.': 'Укажите сумму в копейках (центах), целым числом.',
    'Item {item}: enter a unit price.': 'Товар {item}: введите цену.',
    'Item {item}: enter a unit price like 12.50.': 'Товар {item}: введите цену, например 12,50.',
    'Item {item}: a price cannot be negative.': 'Товар {item}: цена не может быть отрицательной.',
    'Item {item}: at most {max} a unit.': 'Товар {item}: не больше {max} за штуку.',
    'Item {item}: the unit price is a whole number of cents.': 'Товар {item}: цена — целое число копеек (центов).',
    # field definitions (what a migration or an admin stored)
    'A field is described by its key, label and kind.': 'Поле описывается ключом, подписью и типом.',
    'A field key is a short lowercase slug, like "delivery_address".':
        'Ключ поля — короткое слово латиницей в нижнем регистре, например «delivery_address».',
    'Two fields have the key "{key}".': 'У двух полей ключ «{key}».',
    'The field "{key}" needs a label of at most {max} characters.':
        'Полю «{key}» нужна подпись не длиннее {max} символов.',
    'The field "{key}" has an unknown kind.': 'У поля «{key}» неизвестный тип.',
    'The field "{key}" says neither required nor optional.': 'Для поля «{key}» не сказано, обязательно ли оно.',
    'The field "{key}" needs a three-letter currency code, like EUR.':
        'Полю «{key}» нужен трёхбуквенный код валюты, например EUR.',
    'The Orders queue is missing: the database was not migrated.':
        'Очереди заказов нет: база данных не обновлена.',
}
