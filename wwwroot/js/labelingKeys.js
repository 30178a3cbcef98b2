// Keyboard for the labeling page: 1 left better, 2 right better, 3 tie, 4 both bad, S skip, R rationale, Enter submit,
// U undo, D differences. Keys go to the page's .NET component (OnKey); while typing in the rationale only Enter
// (without Shift) submits and Escape leaves the box.
const keys = new Set(['1', '2', '3', '4', 'S', 'R', 'U', 'D', 'Enter']);

export function listen(component) {
  const onKeyDown = event => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.repeat) return;
    const target = event.target;
    const typing = target && (target.tagName === 'TEXTAREA' || target.isContentEditable
      || (target.tagName === 'INPUT' && !['checkbox', 'radio', 'button', 'submit'].includes(target.type)));
    if (typing) {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        component.invokeMethodAsync('OnKey', 'Enter');
      } else if (event.key === 'Escape') {
        target.blur();
      }
      return;
    }
    const key = event.key.length === 1 ? event.key.toUpperCase() : event.key;
    if (!keys.has(key)) return;
    event.preventDefault();
    // R focuses the rationale here and now, so what is typed next lands in it.
    if (key === 'R') { focus('#labeling-rationale'); return; }
    component.invokeMethodAsync('OnKey', key);
  };
  document.addEventListener('keydown', onKeyDown);
  return { dispose: () => document.removeEventListener('keydown', onKeyDown) };
}

export function focus(selector) {
  const element = document.querySelector(selector);
  if (element) element.focus();
}

// New item: both panes back to their top, and keys go to the page again (not into the rationale box).
export function resetView() {
  document.querySelectorAll('[data-pane]').forEach(pane => { pane.scrollTop = 0; });
  const active = document.activeElement;
  if (active && active.id === 'labeling-rationale') active.blur();
}
