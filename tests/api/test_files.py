"""Files through the API: a message with files (multipart), downloads for those who may read them, limits."""

from __future__ import annotations

import httpx

from domain.desk import Desk
from domain.files import Upload
from tests.api.conftest import SignIn
from tests.factories import make_request


async def test_files_go_up_with_a_message_and_come_down_again(api: httpx.AsyncClient, api_desk: Desk,
                                                              signed_in: SignIn) -> None:
    author, author_headers = await signed_in()
    _responder, headers = await signed_in()
    request_id = await make_request(api_desk, author)
    sent = await api.post(f'/requests/{request_id}/files', data={'text': 'the plan'}, headers=headers,
                          files=[('files', ('plan.txt', b'step one', 'text/plain')),
                                 ('files', ('photo.png', b'\x89PNG fake', 'image/png'))])
    assert sent.status_code == 201, sent.text
    message = sent.json()
    assert message['body'] == 'the plan'
    assert [(a['filename'], a['size']) for a in message['attachments']] == [('plan.txt', 8), ('photo.png', 9)]
    url = message['attachments'][0]['url']
    assert url.startswith('/api/v1/files/')
    download = await api.get(f'http://test{url}', headers=author_headers)
    assert download.status_code == 200 and download.content == b'step one'
    assert download.headers['content-type'].startswith('text/plain')
    more = await api.post(f'/requests/{request_id}/files', headers=author_headers,
                          data={'conversation_id': str(message['conversation_id'])},
                          files=[('files', ('answer.csv', b'a,b', 'text/csv'))])
    assert more.status_code == 201 and more.json()['conversation_id'] == message['conversation_id']


async def test_a_file_is_hidden_from_whoever_may_not_read_its_conversation(api: httpx.AsyncClient, api_desk: Desk,
                                                                           signed_in: SignIn) -> None:
    customer, headers = await signed_in()
    _other, other_headers = await signed_in()
    _agent, agent_headers = await signed_in('agent')
    message = await api_desk.support.write(actor_id=customer.id, text='see attached',
                                           files=[Upload('invoice.pdf', b'%PDF-1.4')])
    url = f'/files/{message.attachments[0].id}'
    assert (await api.get(url, headers=headers)).status_code == 200
    assert (await api.get(url, headers=agent_headers)).status_code == 200
    hidden = await api.get(url, headers=other_headers)
    assert hidden.status_code == 404 and hidden.json()['error']['code'] == 'not_found'
    assert (await api.get('/files/999999', headers=headers)).status_code == 404


async def test_the_pages_limits_apply_to_uploads(api: httpx.AsyncClient, api_desk: Desk, signed_in: SignIn) -> None:
    author, _author_headers = await signed_in()
    _responder, headers = await signed_in()
    request_id = await make_request(api_desk, author)
    too_big = b'x' * (api_desk.files.limits.max_bytes + 1)
    for name, data in (('big.txt', too_big), ('empty.txt', b''), ('tool.exe', b'MZ')):
        response = await api.post(f'/requests/{request_id}/files', headers=headers,
                                  files=[('files', (name, data, 'application/octet-stream'))])
        assert response.status_code == 422, name
        assert response.json()['error']['field'] == 'files'
    missing = await api.post(f'/requests/{request_id}/files', headers=headers, data={'text': 'no files'})
    assert missing.status_code == 422 and missing.json()['error']['field'] == 'files'
