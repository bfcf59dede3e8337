"""Russian for the message composer's files: sizes, the kinds a desk accepts, and why a file was refused."""

RU: dict[str, str] = {
    '{size} MB': '{size} МБ',
    '{size} kB': '{size} КБ',
    '{size} B': '{size} Б',
    'images': 'изображения',
    'text': 'текст',
    'Files: up to {size} each, {count} at most; {kinds}.': 'Файлы: до {size} каждый, не больше {count}; {kinds}.',
    '"{name}" is {size}; files may be up to {limit}.': '«{name}» весит {size}, а можно до {limit}.',
    '"{name}" is not a kind of file this desk accepts.': 'Файлы такого типа, как «{name}», не принимаются.',
    '"{name}" was not attached.': '«{name}» не прикреплён.',
}
