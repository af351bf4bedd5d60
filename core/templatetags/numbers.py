"""The template filter for numbers shown to a person (core.numbers):
{% load numbers %}{{ placement.hours_per_week|number }} reads "7,5" in Danish, "10" for 10.0."""

from django import template

from core import numbers

register = template.Library()

register.filter("number", numbers.number, is_safe=True)
