"""POST /api/v1/tickets/{id}/files takes what POST /api/v1/requests/{id}/files takes: the upload limit, not 1 MB.

Its docs promise "the pages' limits apply"; the body limit once knew only the requests route, so a ticket's file
over BODY_MAX_KB was refused with a 413 before the upload limit was ever looked at.
"""

from __future__ import annotations

from tests.edges.conftest import Serve
from tests.factories import PASSWORD, make_user

KB = 1024


async def test_a_tickets_files_take_the_upload_limit(serve: Serve) -> None:
    async with serve(BODY_MAX_KB='64', UPLOAD_MAX_MB='1') as served:
        customer = await make_user(served.desk)
        pair = await served.desk.tokens.sign_in(username=customer.username, password=PASSWORD)
        headers = {'Authorization': f'Bearer {pair.access_token}'}
        await served.desk.support.write(actor_id=customer.id, text='Here is the log')
        ticket = (await served.desk.support.chat(viewer_id=customer.id)).open_ticket_id
        sent = await served.http.post(f'/api/v1/tickets/{ticket}/files', headers=headers, data={'text': 'the log'},
                                      files=[('files', ('vpn.log', b'x' * (900 * KB), 'text/plain'))])
        assert sent.status_code == 201, sent.text
        # Without a valid token the body is refused before it is read, as for a request's files.
        anonymous = await served.http.post(f'/api/v1/tickets/{ticket}/files',
                                           files=[('files', ('vpn.log', b'x' * (900 * KB), 'text/plain'))])
        assert anonymous.status_code == 401
