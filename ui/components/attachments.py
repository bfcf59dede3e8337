"""Files in the UI: their sizes and the accepted kinds as people read them, and the files chosen for a message
(message_block shows what a message carries).

The picker is NiceGUI's uploader, hidden: the composer's attach button opens its file dialog, and files dropped on or
pasted into the composer are handed to it; each file goes to the server as soon as it is chosen, so a refused one is
named with its reason at once, and what was typed stays where it is.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable, Iterable, Sequence

from nicegui import events, ui

from domain.errors import DomainError
from domain.files import MAX_FILES, FileLimits, Upload

from ..i18n import error_text, t

# The composer's drop and paste hand files to the hidden uploader (NiceGUI's runMethod, which ui.upload's own
# run_method uses); one line each, listed in README ("JavaScript").
DROP = '(e) => {{ e.preventDefault(); runMethod({id}, "addFiles", [e.dataTransfer.files]); }}'
DRAG_OVER = '(e) => e.preventDefault()'
PASTE = '(e) => e.clipboardData.files.length && runMethod({id}, "addFiles", [e.clipboardData.files])'
# What the browser knows of a file it refused; the File object itself does not cross to the server.
REFUSED = '(entries) => emit(entries.map((e) => ({name: e.file.name, size: e.file.size, why: e.failedPropValidation})))'

# The rules under the message box may take two lines on a phone: in the flow, not over the chips below (Quasar
# places a field's hint absolutely, in room for one line). Added once per page by the frames (ui/app.py, widget).
COMPOSER_CSS = ('.sb-composer .q-field__bottom { position: static; transform: none; } '
                '.sb-composer.q-field--with-bottom { padding-bottom: 0; }')

# Kinds of files in words, by MIME type; a type not named here is said by its extension.
KINDS = {
    'image/': 'images', 'application/pdf': 'PDF', 'text/plain': 'text', 'text/csv': 'CSV',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
    'application/msword': 'Word', 'application/vnd.oasis.opendocument.text': 'OpenDocument',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
    'application/vnd.ms-excel': 'Excel', 'application/zip': 'ZIP',
}


def size_text(size: int) -> str:
    """A size as people say it: "1.2 MB", "340.0 kB", "12 B"."""
    for unit, scale in (('{size} MB', 1024 * 1024), ('{size} kB', 1024)):
        if size >= scale:
            return t(unit, size=f'{size / scale:.1f}')
    return t('{size} B', size=size)


def limit_text(size: int) -> str:
    """A limit as people say it: "10 MB", "2.5 MB" (a file's own size keeps its decimal: "1.0 MB")."""
    return size_text(size).replace('.0 ', ' ')


def kinds_text(types: Iterable[str]) -> str:
    """The accepted kinds in words: "images, PDF, text, CSV, Word, Excel, ZIP"."""
    words: list[str] = []
    for kind in sorted(types, key=_kind_order):
        word = next((t(name) for prefix, name in KINDS.items() if kind.startswith(prefix)), None) \
            or (mimetypes.guess_extension(kind) or kind).lstrip('.').upper()
        if word not in words:
            words.append(word)
    return ', '.join(words)


def _kind_order(kind: str) -> int:
    prefixes = list(KINDS)
    return next((index for index, prefix in enumerate(prefixes) if kind.startswith(prefix)), len(prefixes))


def rules_text(limits: FileLimits) -> str:
    """What may be attached, said before anyone tries."""
    return t('Files: up to {size} each, {count} at most; {kinds}.', size=limit_text(limits.max_bytes),
             count=MAX_FILES, kinds=kinds_text(limits.types))


def accept(types: Iterable[str]) -> str:
    """The uploader's `accept`: the extensions the service will take. It judges a file by its name, and a name's
    type is not always one its extension is listed for (".bat" is listed for text/plain but read as a program)."""
    wanted = set(types)
    return ','.join(sorted({ext for kind in wanted for ext in mimetypes.guess_all_extensions(kind)
                            if mimetypes.guess_type(f'file{ext}')[0] in wanted}))


class FilePicker(ui.column):
    """Files chosen for the next message; they stay chosen until sent or removed, so nothing is lost."""

    def __init__(self, *, limits: FileLimits, check: Callable[[Sequence[Upload]], None]) -> None:
        super().__init__()
        self.classes('gap-1 min-w-0')
        self.limits = limits
        self._check = check  # the service's own check: the same words as when sending
        self.files: list[Upload] = []
        with self:
            self.upload = ui.upload(multiple=True, auto_upload=True, max_file_size=limits.max_bytes,
                                    on_upload=self._added) \
                .props(f'accept="{accept(limits.types)}"').classes('hidden').mark('file-picker')
        self.upload.on('rejected', self._rejected, js_handler=REFUSED)
        # Made at the first file or refusal: an element costs every open tab some kB, and most messages carry none.
        self.chosen: ui.row | None = None
        self.refusal: ui.label | None = None
        self.refusals: list[str] = []

    def choose(self) -> None:
        """The file dialog, from the attach button's click (the browser allows it during the click's activation)."""
        self.upload.run_method('pickFiles')

    def hook(self, target: ui.element) -> None:
        """Files dropped on or pasted into `target` (the message box) are chosen too."""
        target.on('dragover', js_handler=DRAG_OVER)
        target.on('drop', js_handler=DROP.format(id=self.upload.id))
        target.on('paste', js_handler=PASTE.format(id=self.upload.id))

    async def _added(self, event: events.UploadEventArguments) -> None:
        upload = Upload(event.file.name, await event.file.read(), event.file.content_type)
        if any(chosen.filename == upload.filename and chosen.data == upload.data for chosen in self.files):
            return  # the same file twice is listed once
        if upload.kind not in self.limits.types:  # in words, not by its MIME type as the API says it
            self._refuse(t('"{name}" is not a kind of file this desk accepts.', name=upload.filename))
            return
        try:
            self._check([*self.files, upload])
        except DomainError as error:
            self._refuse(error_text(error))
            return
        self.files.append(upload)
        self._show()

    def _rejected(self, event: events.GenericEventArguments) -> None:
        """Refused by the browser before sending: too large, or a kind the desk does not take."""
        for entry in event.args if isinstance(event.args, list) else []:
            name = str(entry.get('name') or '?')
            match entry.get('why'):
                case 'max-file-size':
                    self._refuse(t('"{name}" is {size}; files may be up to {limit}.', name=name,
                                   size=size_text(int(entry.get('size') or 0)),
                                   limit=limit_text(self.limits.max_bytes)))
                case 'accept':
                    self._refuse(t('"{name}" is not a kind of file this desk accepts.', name=name))
                case 'duplicate':
                    pass  # already chosen: listed once
                case _:
                    self._refuse(t('"{name}" was not attached.', name=name))

    def _refuse(self, message: str) -> None:
        self.refusals = [*self.refusals[-4:], message]  # the last few: a folder's worth would flood the box
        if self.refusal is None:
            with self:
                self.refusal = ui.label().classes('text-negative text-body2 whitespace-pre-line') \
                    .props('role=alert').mark('file-refused')
        self.refusal.set_text('\n'.join(self.refusals))
        self.refusal.set_visibility(True)

    def take(self) -> list[Upload]:
        return list(self.files)

    def clear(self) -> None:
        """Sent: the files go, and so do the refusals of the last message."""
        self.files.clear()
        self.refusals.clear()
        if self.refusal is not None:
            self.refusal.set_visibility(False)
        self.upload.run_method('removeUploadedFiles')  # the uploader's own list: a file may be chosen again
        self._show()

    def _show(self) -> None:
        if self.chosen is None:
            if not self.files:
                return
            with self:
                self.chosen = ui.row().classes('gap-1').mark('chosen-files')
                self.chosen.move(target_index=1)  # above the refusals
        self.chosen.clear()
        with self.chosen:
            for upload in self.files:
                icon = 'image' if upload.kind.startswith('image/') else 'description'
                chip = ui.chip(f'{upload.filename} · {size_text(len(upload.data))}', icon=icon, removable=True,
                               on_value_change=lambda _e, u=upload: self._remove(u)) \
                    .props('dense outline').classes('max-w-full').mark('chosen-file')
                chip.props['remove-aria-label'] = t('Remove {name}', name=upload.filename)  # any name, quotes too
        self.chosen.set_visibility(bool(self.files))

    def _remove(self, upload: Upload) -> None:
        self.files = [f for f in self.files if f is not upload]
        self.upload.run_method('removeUploadedFiles')  # so the same file may be chosen again
        self._show()
