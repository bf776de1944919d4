"""Import articles pasted from WeChat mirrors, each file into one draft.

The same cleaning as the admin's "导入文章" page (articles.importer); the raw text is kept
with each draft, so nothing of the input is lost. Drafts are never published by an import.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importer import ImportRefused, check_size, clean, read_upload
from articles.importer.drafts import create_draft, report_data


class Command(BaseCommand):
    help = "Turn .txt/.md/.html files from WeChat mirrors into drafts, printing what changed."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--dry-run", action="store_true", help="Clean and report; create no draft."
        )

    def handle(self, *args, files, dry_run=False, **options):
        failed = []
        for name in files:
            path = Path(name)
            try:
                data = path.read_bytes()
                check_size(data)
                text = read_upload(path.name, data)
                if dry_run:
                    draft = clean(text)
                    title, report, saved = draft.title, report_data(draft), "未保存（--dry-run）"
                else:
                    article = create_draft(text, filename=path.name)
                    title, report = article.title, article.import_record.report
                    saved = f"已存为草稿 id={article.pk}"
            except OSError as error:
                failed.append(f"{name}: 无法读取（{error.strerror}）")
                continue
            except ImportRefused as error:
                failed.append(f"{name}: {error}")
                continue
            self.stdout.write(f"{name}: 《{title}》{saved}")
            for label, count in report["counts"]:
                self.stdout.write(f"  {label}：{count}")
            if report.get("title_guessed"):
                self.stdout.write("  标题：原文没有像标题的一行，已暂用正文开头，请填写")
            self.stdout.write(f"  原文引用：{len(report['references'])}")
            for span in report["flagged"]:
                self.stdout.write(f"  待核对：{span}")
        if failed:
            raise CommandError("\n".join(failed))
