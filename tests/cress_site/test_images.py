"""Images on the pages: cropped around their focal point, described by their alt text, credited."""

import io
import re
from html import unescape

from django.conf import settings
from django.core.files.images import ImageFile
from django.template.loader import render_to_string

from wagtail.images import get_image_model

import pytest
from PIL import Image as PILImage
from PIL import ImageChops, ImageDraw

from cress_site.blocks import CardsBlock
from home.models import PitchPage
from projects_showcase.models import ProjectGalleryImage, ProjectPage

pytestmark = pytest.mark.django_db

# A wide picture with a red square near its right edge: a crop from the middle misses it.
WIDTH, HEIGHT = 1600, 600
SUBJECT = (1440, 60, 1560, 180)  # left, top, right, bottom


@pytest.fixture
def picture():
    """An image whose subject is off-centre, with its focal point set on the subject."""
    canvas = PILImage.new("RGB", (WIDTH, HEIGHT), "#e6f2ef")
    ImageDraw.Draw(canvas).rectangle(SUBJECT, fill="#d00000")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    left, top, right, bottom = SUBJECT
    image = get_image_model()(
        title="Porteurs de projet devant leur local",
        description="Deux porteurs de projet devant la vitrine de leur épicerie coopérative",
        credit="Photo Jeanne Martin",
        file=ImageFile(buffer, name="local.png"),
        focal_point_x=(left + right) // 2,
        focal_point_y=(top + bottom) // 2,
        focal_point_width=right - left,
        focal_point_height=bottom - top,
    )
    image.save()
    return image


def subject_box(rendition):
    """Where the red subject is in a rendition (left, top, right, bottom), or None."""
    with rendition.file.open("rb") as handle:
        pixels = PILImage.open(handle).convert("RGB")
    red, green, blue = pixels.split()
    mask = ImageChops.multiply(
        red.point(lambda value: 255 if value > 160 else 0),
        ImageChops.multiply(
            green.point(lambda value: 255 if value < 90 else 0),
            blue.point(lambda value: 255 if value < 90 else 0),
        ),
    )
    return mask.getbbox()


def cropped_rendition_of(html, image):
    """The rendition of `image` the first <img> of the HTML shows, checked to be a crop."""
    src = re.search(r'<img[^>]*src="([^"]+)"', html).group(1)
    rendition = image.renditions.get(file=src.removeprefix(settings.MEDIA_URL))
    assert "fill-" in rendition.filter_spec, "cropped by `fill`, which keeps the focal point"
    assert rendition.width / rendition.height != pytest.approx(WIDTH / HEIGHT)
    return rendition


@pytest.mark.parametrize("spec", ["fill-400x240", "fill-800x400", "fill-160x220", "fill-300x300"])
def test_a_crop_keeps_the_focal_point(picture, spec):
    rendition = picture.get_rendition(spec)
    box = subject_box(rendition)
    assert box is not None, "the subject is in the crop"
    width, height = (int(size) for size in spec.removeprefix("fill-").split("x"))
    assert (rendition.width, rendition.height) == (width, height)
    # All of the subject, not a sliver of it: its size in the crop matches the scale.
    scale = max(width / WIDTH, height / HEIGHT)
    assert box[2] - box[0] >= (SUBJECT[2] - SUBJECT[0]) * scale - 4


@pytest.mark.parametrize("spec", ["fill-400x240", "fill-800x400", "fill-160x220", "fill-300x300"])
def test_without_a_focal_point_the_same_crop_misses_the_subject(picture, spec):
    picture.set_focal_point(None)
    picture.save()
    assert subject_box(picture.get_rendition(spec)) is None


def test_a_close_crop_zooms_on_the_focal_point(picture):
    wide = subject_box(picture.get_rendition("fill-200x200"))
    close = subject_box(picture.get_rendition("fill-200x200-c100"))
    assert wide[2] - wide[0] < 50, "a third of the picture's height: the subject is small"
    assert close[2] - close[0] >= 115, "as close as the size allows: the subject at full size"


def test_moving_the_focal_point_makes_new_renditions(picture):
    before = picture.get_rendition("fill-400x240")
    picture.set_focal_point(None)
    picture.save()
    picture = get_image_model().objects.get(pk=picture.pk)
    after = picture.get_rendition("fill-400x240")
    assert after.focal_point_key != before.focal_point_key
    assert subject_box(after) is None


def test_cards_crop_their_image_around_the_focal_point(picture):
    block = CardsBlock()
    value = block.to_python(
        {
            "heading": "Exemples",
            "intro": "",
            "cards": [{"title": "Épicerie coopérative", "text": "", "image": picture.pk}],
        }
    )
    html = block.render(value)
    assert subject_box(cropped_rendition_of(html, picture)) is not None


def test_the_pitch_page_hero_is_cropped_around_the_focal_point_and_credited(client, picture):
    page = PitchPage.objects.get()
    page.hero_image = picture
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    hero = re.search(r'<figure class="page-hero-image">(.*?)</figure>', html, re.S).group(1)
    assert subject_box(cropped_rendition_of(hero, picture)) is not None
    assert "© Photo Jeanne Martin" in unescape(hero)


def test_the_home_page_hero_is_credited(client, home_page, picture):
    home_page.hero_points = ""  # the picture shows in place of the promise box
    home_page.hero_image = picture
    home_page.save_revision().publish()
    html = unescape(client.get(home_page.url).content.decode())
    hero = re.search(r'<div class="hero__media">(.*?)</div>', html, re.S).group(1)
    assert '<p class="image-credit">© Photo Jeanne Martin</p>' in hero


def test_no_credit_line_without_a_credit(client, home_page, picture):
    picture.credit = ""
    picture.save()
    home_page.hero_image = picture
    home_page.save_revision().publish()
    assert "image-credit" not in client.get(home_page.url).content.decode()


def test_gallery_images_are_described_by_their_alt_text_and_credited(client, picture):
    project = ProjectPage.objects.live().first()
    project.gallery_images = [ProjectGalleryImage(image=picture, caption="L'épicerie")]
    project.save_revision().publish()
    html = unescape(client.get(project.url).content.decode())
    assert f'alt="{picture.description}"' in html
    assert picture.title not in html
    assert "© Photo Jeanne Martin" in html


def test_the_shared_image_is_described_by_its_alt_text(client, home_page, picture):
    home_page.social_image = picture
    home_page.save_revision().publish()
    html = unescape(client.get(home_page.url).content.decode())
    assert f'<meta property="og:image:alt" content="{picture.description}">' in html


def test_the_image_block_says_nothing_of_a_deleted_image():
    html = render_to_string("blocks/image_block.html", {"value": {"image": None, "caption": "x"}})
    assert html.strip() == ""


def test_a_prefetched_rendition_is_given_without_writing_the_cache(
    picture, django_assert_num_queries
):
    """`get_rendition` gives Wagtail's rendition; one found among the image's prefetched
    renditions is not written back to the renditions cache (with the image and all of them)."""
    from unittest import mock

    made = picture.get_rendition("width-100")
    image = get_image_model().objects.prefetch_related("renditions").get(pk=picture.pk)
    backend = image.get_rendition_model().cache_backend
    with (
        mock.patch.object(backend, "set") as cache_set,
        mock.patch.object(backend, "set_many") as cache_set_many,
        django_assert_num_queries(0),
    ):
        assert image.get_rendition("width-100") == made
    cache_set.assert_not_called()
    cache_set_many.assert_not_called()
    # Not prefetched: read, or made, as Wagtail does.
    assert picture.get_rendition("width-100") == made
    assert picture.get_rendition("width-120").width == 120
