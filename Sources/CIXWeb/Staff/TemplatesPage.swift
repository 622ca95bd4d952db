import CIXStore

/// Response templates: wording staff start their public notes from. The
/// chosen template's text is what the signed event carries.
package struct TemplatesPage: Sendable {
    package let layout: StaffLayout
    package let templates: [ResponseTemplate]
    package let notice: String?

    package init(layout: StaffLayout, templates: [ResponseTemplate], notice: String? = nil) {
        self.layout = layout
        self.templates = templates
        self.notice = notice
    }

    package func render() -> HTML {
        let token = layout.token
        let items = templates.map { template -> HTML in
            """
            <li><h3>\(template.name)</h3>\(Paragraphs.render(template.text))
            <form method="post" action="/staff/templates/delete">\(token)<input type="hidden" name="id" value="\(Int(template.id))"><button type="submit">Delete “\(template.name)”</button></form></li>
            """
        }
        return layout.page(
            title: "Response templates",
            current: "/staff/templates",
            main: """
                <h1>Response templates</h1>
                \(notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" as HTML })
                \(items.isEmpty ? "<p class=\"empty\">No templates yet.</p>" as HTML : "<ul class=\"contributions\">\(items)</ul>")
                <section aria-labelledby="template-heading" class="forms">
                <h2 id="template-heading">Add a template, or replace one of the same name</h2>
                <form method="post" action="/staff/templates/save">\(token)
                <label for="template-name">Name</label>
                <input id="template-name" name="name" required maxlength="100">
                <label for="template-text">Text (published as written; no personal details)</label>
                <textarea id="template-text" name="text" required maxlength="2000"></textarea>
                <button type="submit">Save the template</button>
                </form>
                </section>
                """
        )
    }
}

extension ResponseTemplate {
    /// The options of a "start from a template" list.
    static func options(_ templates: [ResponseTemplate]) -> HTML {
        HTML.join(templates.map { "<option value=\"\(Int($0.id))\">\($0.name)</option>" })
    }
}
