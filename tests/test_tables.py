from ros1qa.tables import render


def test_a_table_reads_the_same_as_text_and_as_markdown():
    header, rows = ["metric", "hybrid", "dense"], [["hit@1", "0.900", "0.750"], ["a | b", "1", "22"]]
    assert render(header, rows).splitlines() == [
        "metric  hybrid  dense",
        "hit@1    0.900  0.750",
        "a | b        1     22",
    ]
    assert render(header, rows, markdown=True).splitlines() == [
        "| metric | hybrid | dense |", "|---|---:|---:|", "| hit@1 | 0.900 | 0.750 |", "| a \\| b | 1 | 22 |"]
