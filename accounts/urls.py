from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/me/", views.profile, name="profile"),
    path("accounts/me/preferences/", views.preference_update, name="preference-update"),
    path("accounts/me/notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password"),
    path("audit/", views.AuditListView.as_view(), name="audit"),
    path("accounts/password/done/", views.PasswordChangeDoneView.as_view(), name="password-done"),
    path("accounts/me/tokens/", views.token_create, name="token-create"),
    path("accounts/me/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
