"""Reading pages as a browser would: the values a page's form submits."""


def form_values(html, form_id=None):
    """What a browser would submit from the page's form: inputs, checked boxes, selects, textareas."""
    from html.parser import HTMLParser

    class Parser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.values, self.select, self.textarea, self.inside = {}, None, None, form_id is None

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and form_id is not None:
                self.inside = attrs.get("id") == form_id
            if not self.inside:
                return
            name = attrs.get("name")
            if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
                if attrs.get("type") in ("checkbox", "radio"):
                    if "checked" in attrs:
                        self.add(name, attrs.get("value", "on"), attrs.get("type") == "checkbox")
                else:
                    self.add(name, attrs.get("value") or "", attrs.get("type") == "hidden")
            elif tag == "select" and name:
                self.select = name
                self.values.setdefault(name, "")
            elif tag == "option" and self.select and "selected" in attrs:
                self.values[self.select] = attrs.get("value", "")
            elif tag == "textarea" and name:
                self.textarea = name
                self.values[name] = ""

        def add(self, name, value, repeatable):
            # A name repeated (ticked boxes of a multiple choice, its hidden initial values) is a list.
            if repeatable and name in self.values:
                previous = self.values[name]
                self.values[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                self.values[name] = value

        def handle_endtag(self, tag):
            if tag == "select":
                self.select = None
            elif tag == "textarea":
                self.textarea = None
            elif tag == "form" and form_id is not None:
                self.inside = False

        def handle_data(self, data):
            if self.textarea:
                self.values[self.textarea] += data.removeprefix("\n") if not self.values[self.textarea] else data

    parser = Parser()
    parser.feed(html)
    return parser.values


def opened_form(client, url, form_id=None, **changes):
    """The form on the page at `url` as the browser submits it, opened now (the values it
    was opened with included), with this user's changes."""
    data = form_values(client.get(url).content.decode(), form_id)
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return data
