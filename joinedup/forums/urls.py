from joinedup.forums.urls_agenda import urlpatterns as agenda
from joinedup.forums.urls_meetings import urlpatterns as meetings

app_name = "forums"
urlpatterns = [*meetings, *agenda]
