from content.models import CataloguePage, HomePage, LessonPage, ModulePage
from content.services import site_setup
from tests.factories import module_create


def test_it_places_each_page_type_only_where_it_belongs(home, catalogue):
    module = module_create(catalogue, lessons=1)

    assert CataloguePage.can_create_at(home)
    assert not ModulePage.can_create_at(home)
    assert not LessonPage.can_create_at(home)
    assert ModulePage.can_create_at(catalogue)
    assert not LessonPage.can_create_at(catalogue)
    assert LessonPage.can_create_at(module)
    assert not ModulePage.can_create_at(module)
    assert LessonPage.allowed_subpage_models() == []
    assert HomePage.allowed_parent_page_models()[0]._meta.label == "wagtailcore.Page"


def test_it_keeps_a_single_home_page_under_the_root(home):
    assert not HomePage.can_create_at(home.get_parent())


def test_it_sets_up_the_site_only_once(catalogue):
    again = site_setup(site_name="Gemeente Teststad", hostname="testserver")

    assert again.pk == catalogue.pk
    # One home page and one catalogue, each in the three content languages.
    assert CataloguePage.objects.filter(translation_key=catalogue.translation_key).count() == 3
    assert CataloguePage.objects.count() == HomePage.objects.count() == 3
