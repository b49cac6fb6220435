from wagtail import hooks

from cress_site.demo import DEMO_CONTENT_HOOK, DemoLoader
from directory.choosers import enterprise_chooser_viewset


@hooks.register("register_admin_viewset")
def register_enterprise_chooser():
    return enterprise_chooser_viewset


@hooks.register(DEMO_CONTENT_HOOK)
def register_demo_content():
    return DemoLoader("directory", 50, "directory.demo.build_directory")
