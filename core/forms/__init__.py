"""The national forms (项目支出绩效自评表, 部门整体支出绩效自评表) read from a report's text.

`grid` is the table model every source becomes (rows of cells with their spans), `flatten`
builds grids from text however the form was flattened, `vocabulary` is the data table of the
wordings each form recognises, `project_form` and `department_form` read one form each, and
`reading` finds the forms in a report and turns them into figures and projects.
"""
