// The copy buttons (an article's address, a feed's): shown only where the page can copy (a
// secure context with the clipboard API); elsewhere the address stays selectable in its field.
document.querySelectorAll(".copy-link").forEach((button) => {
  if (!navigator.clipboard || !window.isSecureContext) return;
  button.hidden = false;
  const label = button.textContent;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.url);
      button.textContent = "已复制";
    } catch {
      button.textContent = "复制失败，请手动复制上面的地址";
    }
    setTimeout(() => { button.textContent = label; }, 3000);
  });
});
