"""Question files: the Kazakh <question>/<variant> format (.txt, .docx), Moodle GIFT, Moodle XML, Aiken and
IMS QTI 2.1. Parsers and writers are pure: bytes in, `ParseResult` out; `ExportQuestion`s in, bytes out."""
