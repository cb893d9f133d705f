from tests.e2e.conftest import _axe_source, format_violations, AXE_TAGS

def test_axe_detects(page, url):
    page.goto(url("/accounts/login/"))
    page.evaluate("() => { const i = document.createElement('img'); i.src='/static/x.png'; document.body.appendChild(i); const a=document.createElement('input'); document.querySelector('main').appendChild(a);}")
    page.evaluate(_axe_source())
    result = page.evaluate("""async (tags) => { const r = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target, failureSummary: n.failureSummary}))}));}""", AXE_TAGS)
    print(format_violations(result))
    page.screenshot(path="/tmp/login.png", full_page=True)
