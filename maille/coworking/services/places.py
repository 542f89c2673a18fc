"""Staff keep the sites and resources; members and resources have calendar feeds
(signed URLs that never expire and are revoked by drawing a new nonce).
"""

from __future__ import annotations

from django.db import transaction

from maille.core.audit import set_actor
from maille.core.models import User
from maille.coworking.models import Feed, Resource, Site
from maille.documents.links import new_nonce
from maille.members.models import Member


@transaction.atomic
def site_save(*, site: Site, acting_user: User) -> Site:
    """Staff: add or change a site (its address, opening hours and days)."""
    if not acting_user.is_staff:
        raise PermissionError
    site.full_clean()
    set_actor(site, acting_user)
    site.save()
    return site


@transaction.atomic
def resource_save(*, resource: Resource, acting_user: User) -> Resource:
    """Staff: add or change a desk, a room or an equipment item.

    Its prices and rules are dated rows added beside it (never edited)."""
    if not acting_user.is_staff:
        raise PermissionError
    resource.full_clean()
    set_actor(resource, acting_user)
    resource.save()
    return resource


def feed_of(*, member: Member | None = None, resource: Resource | None = None) -> Feed:
    """The member's (or resource's) feed, made on first use."""
    lookup = {"member": member} if member is not None else {"resource": resource}
    feed, _created = Feed.objects.get_or_create(**lookup, defaults={"link_nonce": new_nonce()})
    return feed


@transaction.atomic
def feed_revoke(*, feed: Feed, acting_user: User) -> Feed:
    """Every URL of this feed given so far stops working; a new one is made."""
    mine = feed.member is not None and feed.member.user_id == acting_user.pk
    if not (mine or acting_user.is_staff):
        raise PermissionError
    feed.link_nonce = new_nonce()
    feed.save(update_fields=["link_nonce"])
    return feed
