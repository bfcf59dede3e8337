"""Request bodies are bounded per route: refused by their length before a byte is read, or cut off at the limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx

from tests.edges.conftest import Serve, Served
from tests.factories import PASSWORD, make_request, make_user

KB, MB = 1024, 1024 * 1024
JSON = {'Content-Type': 'application/json'}
MULTIPART = {'Content-Type': 'multipart/form-data; boundary=xyz'}
FILE_PART = b'--xyz\r\nContent-Disposition: form-data; name="files"; filename="big.txt"\r\n\r\n'


@dataclass
class Body:
    """A body the app pulls chunk by chunk, as a server hands it over; `pulled` is how much the app took."""

    size: int
    chunk: int = 64 * KB
    pulled: int = 0
    head: bytes = b''  # what comes before the filler

    async def stream(self) -> AsyncIterator[bytes]:
        while self.pulled < self.size:
            filler = b'x' * min(self.chunk, self.size - self.pulled)
            part = self.head + filler if self.pulled == 0 else filler
            self.pulled += len(part)
            yield part

    def sized(self, headers: dict[str, str]) -> dict[str, str]:
        return {**headers, 'Content-Length': str(self.size)}


async def post(served: Served, path: str, body: Body, headers: dict[str, str]) -> httpx.Response:
    """Without a Content-Length in `headers`, the body goes chunked: nothing says its size in advance."""
    return await served.http.post(path, content=body.stream(), headers=headers)


async def bearer(served: Served) -> dict[str, str]:
    account = await make_user(served.desk)
    pair = await served.desk.tokens.sign_in(username=account.username, password=PASSWORD)
    return {'Authorization': f'Bearer {pair.access_token}'}


def assert_too_large(response: httpx.Response, limit: str) -> None:
    assert response.status_code == 413
    error = response.json()['error']
    assert error['code'] == 'too_large' and limit in error['message'], error


async def test_a_json_body_over_the_limit_is_refused_by_its_length_before_it_is_read(serve: Serve) -> None:
    body = Body(5 * MB)
    async with serve() as served:
        response = await post(served, '/api/v1/auth/token', body, body.sized(JSON))
    assert_too_large(response, '1 MB')
    assert body.pulled == 0


async def test_a_chunked_body_is_cut_off_at_the_limit(serve: Serve) -> None:
    body = Body(5 * MB)
    async with serve(BODY_MAX_KB='256') as served:
        response = await post(served, '/api/v1/requests', body, {**JSON, **await bearer(served)})
    assert_too_large(response, '256 KB')
    assert body.pulled <= 256 * KB + body.chunk


async def test_a_page_route_is_held_to_the_same_limit(serve: Serve) -> None:
    body = Body(2 * MB)
    async with serve() as served:
        response = await post(served, '/_nicegui_ws/socket.io/?EIO=4&transport=polling', body, body.sized({}))
    assert_too_large(response, '1 MB')
    assert body.pulled == 0


async def test_an_upload_without_a_valid_token_is_refused_before_its_body_is_read(serve: Serve) -> None:
    async with serve() as served:
        for headers in ({}, {'Authorization': 'Bearer forged'}, {'Authorization': 'Basic YTpi'}):
            body = Body(30 * MB)
            response = await post(served, '/api/v1/requests/1/files', body, body.sized({**MULTIPART, **headers}))
            assert response.status_code == 401, headers
            assert response.headers['WWW-Authenticate'] == 'Bearer'
            assert response.json()['error']['code'] == 'not_signed_in'
            assert body.pulled == 0
        chunked = Body(30 * MB)
        response = await post(served, '/api/v1/requests/1/files', chunked, MULTIPART)
    assert response.status_code == 401 and chunked.pulled == 0


async def test_uploads_take_the_upload_limit_and_no_more(serve: Serve) -> None:
    async with serve(BODY_MAX_KB='64', UPLOAD_MAX_MB='1') as served:
        author = await make_user(served.desk)
        request_id = await make_request(served.desk, author)
        headers = await bearer(served)
        # Over the JSON limit, within the upload limit: accepted.
        sent = await served.http.post(f'/api/v1/requests/{request_id}/files', headers=headers,
                                      files=[('files', ('big.txt', b'x' * (900 * KB), 'text/plain'))])
        assert sent.status_code == 201, sent.text
        # Ten files of 1 MB make a message; more than that is refused by its length, then while it streams.
        sized = Body(20 * MB)
        refused = await post(served, f'/api/v1/requests/{request_id}/files', sized, sized.sized({**MULTIPART,
                                                                                                   **headers}))
        assert_too_large(refused, 'MB')
        assert sized.pulled == 0
        chunked = Body(20 * MB, head=FILE_PART)  # a file that never ends: read, and spooled, up to the limit
        cut = await post(served, f'/api/v1/requests/{request_id}/files', chunked, {**MULTIPART, **headers})
        assert_too_large(cut, 'MB')
        assert chunked.pulled <= 11 * MB + chunked.chunk
        # The pages' uploader sends one file per request.
        page_upload = '/_nicegui/client/0123/upload/7'
        within = Body(900 * KB)
        assert (await post(served, page_upload, within, within.sized(MULTIPART))).status_code == 404  # no such client
        over = Body(3 * MB)
        assert_too_large(await post(served, page_upload, over, over.sized(MULTIPART)), 'MB')
        assert over.pulled == 0
