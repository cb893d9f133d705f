"""Pure rules of testing, with no database: question content and answers, grading, drawing and shuffling,
item analysis. Unit-test them alone.

Question content (`QuestionVersion.data`, `ParsedQuestion.data`) by type. Texts are sanitized HTML
fragments (plain text is valid); ids are short strings unique within the question ("a", "b", …).

- single / multiple: {"options": [{"id", "text", "fraction", "feedback"}], "partial": PartialCredit}
    `fraction` is the share of the points the option earns: single — 1.0 for the right option (Moodle
    allows other options a partial fraction); multiple — right options have positive fractions that
    add up to 1.0, wrong ones 0 or negative. "partial" is only for multiple.
- true_false: {"answer": true|false, "feedback_true": "", "feedback_false": ""}
- matching: {"pairs": [{"id", "left", "right"}], "distractors": ["right-side text", …]}
    right-side choice ids are the pair ids, distractors get ids "x1", "x2", …
- ordering: {"items": [{"id", "text"}]}  in the right order
- short: {"answers": [{"text", "fraction", "feedback"}], "case_sensitive": false}
    whitespace is always collapsed and trimmed before comparing; "*" in an accepted text matches anything
- numeric: {"answers": [{"value": float, "tolerance": float, "fraction", "feedback"}],
            "units": [{"unit": "m", "multiplier": 1.0}], "unit_required": false}
- cloze: {"text": "HTML with {{1}}, {{2}} where the gaps are", "gaps": [
            {"id": "1", "kind": "short"|"numeric"|"choice", "points": 1,
             "answers": [...as short/numeric...], "options": [...as single...], "case_sensitive": false}]}
- essay: {"rubric": [{"criterion": "", "points": 5}], "min_words": 0, "max_words": 0, "template": ""}

Answers (`AttemptQuestion.answer`), None when nothing is given:
- single: {"choice": id}            multiple: {"choices": [id, …]}      true_false: {"value": bool}
- matching: {"pairs": {pair id: right id}}    ordering: {"order": [id, …]}
- short / numeric: {"text": str}    cloze: {"gaps": {gap id: str or option id}}    essay: {"text": str}

`AttemptQuestion.layout` (the order the attempt shows): {"options": [ids]} for single, multiple and
cloze choice gaps ({"gaps": {gap id: [ids]}}), {"right": [ids]} for matching, {"items": [ids]} for
ordering; {} otherwise.
"""
