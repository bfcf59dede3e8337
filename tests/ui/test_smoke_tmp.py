from nicegui.testing import User


async def test_board_lists_demo_requests(user: User) -> None:
    await user.open('/requests')
    await user.should_see('Projector in room 4 flickers')


async def test_sign_in(user: User) -> None:
    await user.open('/login')
    user.find('Username').type('user')
    user.find('Password').type('password')
    user.find(kind=__import__('nicegui').ui.button, content='Sign in').click()
    await user.should_see(marker='signed-in-as')
