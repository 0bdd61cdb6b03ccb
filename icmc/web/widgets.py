"""Widgets that render faster than Django's template-rendered ones where a page shows many options."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

# Markup of FastSelects given a `memo`: (id of the memo, values, attributes) -> (the memo, markup). The entry holds
# its memo, so the id cannot be reused by another object while the entry lives.
_RENDERED: dict[tuple[object, ...], tuple[object, SafeString]] = {}
_RENDERED_MAX = 256


class FastSelect(forms.Select):
    """A <select> rendered in Python instead of one template per option: the same markup (Django's own optgroups
    decide what is selected), several times faster for the hundreds of districts of the case list's filters.

    `memo`: the choices object as a cache hands it out (the same object until the choices change, e.g.
    icmc.web.views.choices.jurisdiction_choices). The markup is then remembered in this process per memo, selected
    values and attributes: the ~800 districts are rendered once, not on every case list (8-10 ms of its CPU)."""

    def __init__(self, *, memo: object | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.memo = memo

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None,
               renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        values = self.format_value(value)
        if self.memo is None:
            return self._markup(name, values, final)
        key = (id(self.memo), tuple(values), tuple(sorted((k, str(v)) for k, v in final.items())))
        hit = _RENDERED.get(key)
        if hit is not None and hit[0] is self.memo:
            return hit[1]
        markup = self._markup(name, values, final)
        if len(_RENDERED) >= _RENDERED_MAX:
            _RENDERED.clear()
        _RENDERED[key] = (self.memo, markup)
        return markup

    def _markup(self, name: str, values: list[str], final: dict[str, Any]) -> SafeString:
        groups = []
        for group_name, options, _index in self.optgroups(name, values, final):
            rendered = format_html_join("", "<option value=\"{}\"{}>{}</option>", (
                (option["value"], flatatt(option["attrs"]), option["label"]) for option in options))
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered)
                          if group_name else rendered)
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe("".join(groups)))  # noqa: S308
