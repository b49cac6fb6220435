"""`picture_tags`: Wagtail's image tags, the same output, with filters made once per node."""

from django.template import engines

from wagtail.images.models import Filter

import pytest

from cress_site.models import CustomImage

pytestmark = pytest.mark.django_db

TAGS = [
    '{% picture img format-{avif,webp,jpeg} fill-{160x220,320x440}-c100 sizes="8rem" alt="" %}',
    '{% srcset_image img width-{200,400} sizes="20rem" alt="Une image" %}',
    '{% image img fill-120x80 alt="" %}',
    "{% image img fill-120x80 format-jpeg as shown %}{{ shown.url }}",
]


@pytest.fixture
def img():
    image = CustomImage.objects.first()
    assert image is not None  # the demo content has images
    return image


@pytest.mark.parametrize("tag", TAGS)
def test_the_same_html_as_wagtails_tags(img, tag):
    engine = engines["django"]
    wagtails = engine.from_string("{% load wagtailimages_tags %}" + tag)
    ours = engine.from_string("{% load wagtailimages_tags picture_tags %}" + tag)
    expected = wagtails.render({"img": img})
    assert "<img" in expected or "/media/" in expected
    assert ours.render({"img": img}) == expected


def test_the_filters_are_made_once_per_node(img, monkeypatch):
    template = engines["django"].from_string(
        "{% load wagtailimages_tags picture_tags %}" + TAGS[0] + TAGS[2]
    )
    template.render({"img": img})  # the renditions made
    made = []
    original = Filter.__init__

    def counting(self, *args, **kwargs):
        made.append(kwargs.get("spec", args[0] if args else None))
        original(self, *args, **kwargs)

    monkeypatch.setattr(Filter, "__init__", counting)
    for _ in range(3):
        template.render({"img": img})
    assert made == []
