import time, pytest
@pytest.mark.django_db
def test_a(make_user):
    t=time.time(); make_user("teacher"); print("user", time.time()-t)
@pytest.mark.django_db
def test_b(make_user):
    t=time.time(); make_user("teacher"); print("user", time.time()-t)
