"""Tasks for the tests of the worker and its retries (the worker imports them by path)."""

from django_tasks import task


@task(takes_context=True)
def fails_at_first(context, failures):
    """Fails on its first `failures` attempts, then succeeds; returns the attempt that did."""
    if context.attempt <= failures:
        raise RuntimeError(f"第 {context.attempt} 次尝试失败")
    return context.attempt
