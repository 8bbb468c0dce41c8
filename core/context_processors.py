from core.permissions import can_report, is_chair, is_vru_staff


def roles(request):
    user = request.user
    return {
        "is_vru_staff": is_vru_staff(user),
        "is_chair": is_chair(user),
        "can_report": can_report(user),
    }
