"""Files in the UI: their sizes as people read them, and a picker for sending (message_block shows what a message
carries)."""

from __future__ import annotations

from nicegui import events, ui

from domain.files import Upload

from ..i18n import t


def size_text(size: int) -> str:
    for unit, scale in (('MB', 1024 * 1024), ('kB', 1024)):
        if size >= scale:
            return f'{size / scale:.1f} {unit}'
    return f'{size} B'


class FilePicker(ui.column):
    """Files chosen for the next message; they stay chosen until sent or removed, so nothing is lost."""

    def __init__(self, *, max_bytes: int) -> None:
        super().__init__()
        self.classes('gap-1')
        self.files: list[Upload] = []
        with self:
            self.upload = ui.upload(label=t('Attach files'), multiple=True, auto_upload=True, max_file_size=max_bytes,
                                    on_upload=self._added, on_rejected=self._rejected) \
                .props(f'flat dense role=group aria-label="{t("Attach files")}"').classes('w-64 sb-uploader') \
                .mark('file-picker')
        self.chosen: ui.row | None = None  # made with the first file: most messages carry none

    async def _added(self, event: events.UploadEventArguments) -> None:
        self.files.append(Upload(event.file.name, await event.file.read(), event.file.content_type))
        self._show()

    def _rejected(self) -> None:
        ui.notify(t('A file is larger than the limit and was not attached.'), color='negative')

    def take(self) -> list[Upload]:
        return list(self.files)

    def clear(self) -> None:
        self.files.clear()
        self.upload.reset()
        self._show()

    def _show(self) -> None:
        if self.chosen is None:
            if not self.files:
                return
            with self:
                self.chosen = ui.row().classes('gap-1')
        self.chosen.clear()
        with self.chosen:
            for upload in self.files:
                ui.chip(upload.filename, removable=True, icon='attach_file',
                        on_value_change=lambda _e, u=upload: self._remove(u)).props(
                    f'aria-label="{t("Remove {name}", name=upload.filename)}"')

    def _remove(self, upload: Upload) -> None:
        self.files = [f for f in self.files if f is not upload]
        self._show()
