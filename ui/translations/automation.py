"""Russian for jobs and the other automation texts."""

RU: dict[str, str] = {
    'No such job.': 'Такого задания нет.',
    'Only a failed job can be retried; this one is {status}.':
        'Повторить можно только задание с ошибкой; это задание в состоянии {status}.',
    'Only admins see the jobs.': 'Задания видят только администраторы.',
    'Unknown job status: {status}.': 'Неизвестное состояние задания: {status}.',
}
