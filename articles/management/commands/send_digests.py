from django.core.management.base import BaseCommand

from articles import subscriptions
from articles.models import Subscription


class Command(BaseCommand):
    help = "给订阅者发送摘要邮件（每天或每周一次，由 cron 或定时任务调用）。"

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=Subscription.Frequency.values)

    def handle(self, frequency, **options):
        sent = subscriptions.send_digests(frequency)
        self.stdout.write(f"已发送 {sent} 封摘要邮件。")
