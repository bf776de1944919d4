// The copy-link button: shown only where the page can copy (a secure context with the
// clipboard API); elsewhere the address stays selectable in its field.
document.querySelectorAll(".copy-link").forEach((button) => {
  if (!navigator.clipboard || !window.isSecureContext) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.url);
      button.textContent = "已复制";
    } catch {
      button.textContent = "复制失败，请手动复制上面的地址";
    }
    setTimeout(() => { button.textContent = "复制链接"; }, 3000);
  });
});
