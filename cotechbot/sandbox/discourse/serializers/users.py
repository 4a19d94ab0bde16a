"""Users, groups and group members."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from cotechbot.sandbox import markup
from cotechbot.sandbox.discourse.records import Group, User
from cotechbot.sandbox.discourse.serializers.common import avatar_template, user_brief
from cotechbot.sandbox.markup import utc_iso

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.store import ForumStore


def basic_group_json(group: Group, viewer: User) -> dict[str, Any]:
    """The fields Discourse's basic group serializer gives wherever a group appears."""
    return {
        "id": group.id,
        "automatic": False,
        "name": group.name,
        "user_count": len(group.members),
        "mentionable_level": group.mentionable_level,
        "messageable_level": group.messageable_level,
        "visibility_level": group.visibility_level,
        "primary_group": False,
        "title": group.title,
        "grant_trust_level": None,
        "incoming_email": None,
        "has_messages": False,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "bio_raw": group.bio_raw,
        "bio_cooked": None,
        "bio_excerpt": None,
        "public_admission": group.public_admission,
        "public_exit": group.public_exit,
        "allow_membership_requests": group.allow_membership_requests,
        "full_name": group.full_name,
        "default_notification_level": 3,
        "membership_request_template": group.membership_request_template,
        "members_visibility_level": group.members_visibility_level,
        "can_see_members": True,
        "can_admin_group": viewer.staff,
        "publish_read_state": False,
    }


def group_json(group: Group, viewer: User) -> dict[str, Any]:
    staff = viewer.staff
    is_owner = viewer.id in group.owners
    return {
        **basic_group_json(group, viewer),
        "bio_cooked": markup.cook(group.bio_raw) if group.bio_raw else None,
        "bio_excerpt": markup.excerpt(markup.cook(group.bio_raw))[0] if group.bio_raw else None,
        "is_group_user": viewer.id in group.members,
        "can_edit_group": staff or is_owner,
        "is_group_owner_display": is_owner,
        "mentionable": True,
        "messageable": True,
        "automatic_membership_email_domains": None,
        "smtp_server": None,
        "smtp_port": None,
        "smtp_ssl_mode": None,
        "email_username": None,
        "email_password": None,
        "message_count": 0,
        "allow_unknown_sender_topic_replies": False,
        "associated_group_ids": [],
        "watching_category_ids": [],
        "tracking_category_ids": [],
        "watching_first_post_category_ids": [],
        "regular_category_ids": [],
        "muted_category_ids": [],
    }


def member_json(forum: ForumStore, user: User, added_at: datetime) -> dict[str, Any]:
    last_post = forum.posts_by_user.get(user.id)
    last_posted = forum.posts[last_post[-1]].created_at if last_post else user.created_at
    return {
        **user_brief(user),
        "title": user.title,
        "last_posted_at": utc_iso(last_posted),
        "last_seen_at": utc_iso(max(last_posted, user.created_at)),
        "added_at": utc_iso(added_at),
        "timezone": user.timezone or "UTC",
    }


def user_json(forum: ForumStore, user: User, viewer: User) -> dict[str, Any]:
    staff = viewer.staff
    me = viewer.id == user.id
    own_posts = [forum.posts[p] for p in forum.posts_by_user.get(user.id, [])]
    topics = sum(1 for p in own_posts if p.post_number == 1 and not forum.topics[p.topic_id].is_pm)
    last_posted = utc_iso(own_posts[-1].created_at) if own_posts else None
    groups = [g for g in forum.groups.values() if user.id in g.members]
    schedule: dict[str, Any] = {"enabled": False}
    for day in range(7):
        schedule[f"day_{day}_start_time"] = 480
        schedule[f"day_{day}_end_time"] = 1020
    return {
        "user_badges": [],
        "user": {
            **user_brief(user),
            "last_posted_at": last_posted,
            "last_seen_at": last_posted,
            "created_at": utc_iso(user.created_at),
            "ignored": False,
            "muted": False,
            "can_ignore_user": not me,
            "can_mute_user": not me,
            "can_send_private_messages": True,
            "can_send_private_message_to_user": not me,
            "trust_level": user.trust_level,
            "moderator": user.moderator,
            "admin": user.admin,
            "title": user.title,
            "badge_count": 0,
            "custom_fields": {},
            "time_read": 0,
            "recent_time_read": 0,
            "primary_group_id": None,
            "primary_group_name": None,
            "flair_group_id": None,
            "flair_name": None,
            "flair_url": None,
            "flair_bg_color": None,
            "flair_color": None,
            "featured_topic": None,
            "staged": False,
            "can_edit": staff or me,
            "can_edit_username": staff or me,
            "can_edit_email": staff or me,
            "can_edit_name": staff or me,
            "uploaded_avatar_id": None,
            "has_title_badges": False,
            "pending_count": 0,
            "profile_view_count": 0,
            "second_factor_enabled": False,
            "can_upload_profile_header": staff or me,
            "can_upload_user_card_background": staff or me,
            "post_count": len(own_posts),
            "topic_count": topics,
            "can_be_deleted": staff and not me,
            "can_delete_all_posts": staff and not me,
            "locale": None,
            "muted_category_ids": [],
            "regular_category_ids": [],
            "watched_tags": [],
            "watching_first_post_tags": [],
            "tracked_tags": [],
            "muted_tags": [],
            "tracked_category_ids": [],
            "watched_category_ids": [],
            "watched_first_post_category_ids": [],
            "system_avatar_upload_id": None,
            "system_avatar_template": avatar_template(user.username),
            "muted_usernames": [],
            "ignored_usernames": [],
            "allowed_pm_usernames": [],
            "mailing_list_posts_per_day": 0,
            "can_change_bio": True,
            "can_change_location": True,
            "can_change_website": True,
            "can_change_tracking_preferences": True,
            "user_api_keys": None,
            "user_auth_tokens": [],
            "user_notification_schedule": schedule,
            "use_logo_small_as_avatar": False,
            "featured_user_badge_ids": [],
            "invited_by": None,
            "groups": [user_group_json(g, user) for g in groups],
            "group_users": [
                {
                    "group_id": g.id,
                    "user_id": user.id,
                    "notification_level": 3,
                    "owner": user.id in g.owners,
                }
                for g in groups
            ],
            "user_option": user_option_json(user),
        },
    }


def user_group_json(group: Group, user: User) -> dict[str, Any]:
    return {**basic_group_json(group, user), "display_name": group.name}


def user_option_json(user: User) -> dict[str, Any]:
    return {
        "user_id": user.id,
        "mailing_list_mode": False,
        "mailing_list_mode_frequency": 1,
        "email_digests": True,
        "email_level": 1,
        "email_messages_level": 0,
        "external_links_in_new_tab": False,
        "color_scheme_id": None,
        "dark_scheme_id": None,
        "dynamic_favicon": False,
        "enable_quoting": True,
        "enable_smart_lists": True,
        "enable_markdown_monospace_font": False,
        "digest_after_minutes": 10080,
        "automatically_unpin_topics": True,
        "auto_track_topics_after_msecs": 240000,
        "notification_level_when_replying": 2,
        "new_topic_duration_minutes": 2880,
        "email_previous_replies": 2,
        "email_in_reply_to": False,
        "like_notification_frequency": 1,
        "notify_on_linked_posts": True,
        "push_notification_level": "always",
        "enable_upcoming_change_available_notifications": False,
        "include_tl0_in_digests": False,
        "theme_ids": [],
        "theme_key_seq": 0,
        "allow_private_messages": True,
        "enable_allowed_pm_users": False,
        "homepage_id": None,
        "hide_profile_and_presence": False,
        "hide_profile": False,
        "hide_presence": False,
        "text_size": "normal",
        "text_size_seq": 0,
        "title_count_mode": "notifications",
        "timezone": user.timezone,
        "skip_new_user_tips": False,
        "topics_unread_when_closed": True,
        "interface_color_mode": 1,
        "show_original_content": False,
        "send_shortcut": "ctrl_enter",
        "automatically_translate": False,
        "understood_languages": [],
    }
