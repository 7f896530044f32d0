"""The NHS.UK care card ("when and where to get care") as a block tag.

``{% care_card "urgent" "Call your team now" 1 %}…{% endcare_card %}`` renders the markup of
the installed nhsuk-frontend (``nhsuk-card--care`` with its emergency, urgent and non-urgent
variants), so every urgent card looks the same and carries the words a screen reader announces.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

# nhsuk-frontend's card template: the visually hidden prefix of each care card's heading.
HIDDEN_PREFIX = {
    "emergency": "Immediate action required",
    "urgent": "Urgent advice",
    "non-urgent": "Non-urgent advice",
}


class CareCardNode(template.Node):
    def __init__(
        self,
        nodelist: NodeList,
        variant: FilterExpression,
        heading: FilterExpression,
        level: FilterExpression | None,
    ) -> None:
        self.nodelist = nodelist
        self.variant = variant
        self.heading = heading
        self.level = level

    def render(self, context: Context) -> SafeString:
        variant = str(self.variant.resolve(context))
        if variant not in HIDDEN_PREFIX:
            raise template.TemplateSyntaxError(f"care_card: unknown variant {variant!r}")
        level = int(self.level.resolve(context)) if self.level else 2
        if not 1 <= level <= 6:
            raise template.TemplateSyntaxError("care_card: heading level must be 1 to 6")
        return format_html(
            '<div class="nhsuk-card nhsuk-card--care nhsuk-card--care--{variant}">'
            '<div class="nhsuk-card__heading-container">'
            '<h{level} class="nhsuk-card__heading"><span role="text">'
            '<span class="nhsuk-u-visually-hidden">{hidden}: </span>{heading}</span></h{level}>'
            '<span class="nhsuk-card--care__arrow" aria-hidden="true"></span></div>'
            '<div class="nhsuk-card__content">{body}</div></div>',
            variant=variant,
            level=level,
            hidden=HIDDEN_PREFIX[variant],
            heading=self.heading.resolve(context),
            body=self.nodelist.render(context),
        )


@register.tag("care_card")
def care_card(parser: Parser, token: Token) -> CareCardNode:
    bits = token.split_contents()
    if len(bits) not in (3, 4):
        raise template.TemplateSyntaxError("usage: {% care_card variant heading [level] %}")
    nodelist = parser.parse(("endcare_card",))
    parser.delete_first_token()
    level = parser.compile_filter(bits[3]) if len(bits) == 4 else None
    return CareCardNode(
        nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), level
    )
