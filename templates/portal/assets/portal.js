// Progressive enhancement only: every form here also works without this script.
// Upload: drag-and-drop, a size check before sending, a progress bar, then the receipt page.

(() => {
  const form = document.getElementById('upload-form');
  if (form) enhanceUpload(form);
  const pending = document.getElementById('receipt-pending');
  if (pending) pollReceipt(pending.dataset.receiptUrl);

  function enhanceUpload(form) {
    const input = form.querySelector('input[type=file]');
    const zone = document.getElementById('drop-zone');
    const bar = document.getElementById('upload-progress');
    const status = document.getElementById('upload-status');
    const button = form.querySelector('button[type=submit]');
    const maxBytes = Number(form.dataset.maxBytes || '0');
    const say = (text, bad) => {
      status.textContent = text;
      status.className = bad ? 'alert error' : 'muted';
    };

    input.addEventListener('change', () => {
      if (input.files?.[0]) say(`已选择:${input.files[0].name}`, false);
    });
    for (const type of ['dragenter', 'dragover']) {
      zone.addEventListener(type, (event) => {
        event.preventDefault();
        zone.classList.add('over');
      });
    }
    for (const type of ['dragleave', 'drop'])
      zone.addEventListener(type, () => zone.classList.remove('over'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      const files = event.dataTransfer?.files;
      if (!files || files.length === 0) return;
      const list = new DataTransfer();
      list.items.add(files[0]);
      input.files = list.files;
      say(`已选择:${files[0].name}`, false);
    });

    form.addEventListener('submit', (event) => {
      const file = input.files?.[0];
      if (!file) return;
      if (maxBytes > 0 && file.size > maxBytes) {
        event.preventDefault();
        say(
          `文件 ${(file.size / 1048576).toFixed(1)} MB,超过上限 ${(maxBytes / 1048576).toFixed(0)} MB,请只上传本单位的填报模板`,
          true,
        );
        return;
      }
      const presigned = form.dataset.mode === 'presigned';
      if (presigned) {
        // The browser posts the signed form to S3 itself: S3 answers with a redirect to the
        // receipt page, which a navigation follows and a script request across origins would not.
        button.disabled = true;
        say('正在上传…', false);
        return;
      }
      event.preventDefault();
      const body = new FormData(form);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', form.dataset.api);
      xhr.setRequestHeader('Accept', 'application/json');
      bar.hidden = false;
      bar.value = 0;
      button.disabled = true;
      say('正在上传…', false);
      xhr.upload.addEventListener('progress', (e) => {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      });
      xhr.addEventListener('load', () => {
        button.disabled = false;
        let answer = null;
        try {
          answer = JSON.parse(xhr.responseText);
        } catch {
          answer = null;
        }
        if (xhr.status === 200) {
          say('检查完成,正在打开回执…', false);
          location.assign(xhr.getResponseHeader('X-Receipt-Page') || location.href);
        } else if (xhr.status === 202 && answer) {
          say('文件已收到,正在检查…', false);
          location.assign(answer.page);
        } else {
          const message = answer?.error ? answer.error.message_zh : `上传失败(${xhr.status})`;
          say(message, true);
          bar.hidden = true;
        }
      });
      xhr.addEventListener('error', () => {
        button.disabled = false;
        bar.hidden = true;
        say('网络中断,上传没有完成,请重试', true);
      });
      xhr.send(body);
    });
  }

  function pollReceipt(url) {
    const tick = () => {
      fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then((res) => {
          if (res.status === 200) location.reload();
          else setTimeout(tick, 700);
        })
        .catch(() => setTimeout(tick, 2000));
    };
    setTimeout(tick, 700);
  }
})();
