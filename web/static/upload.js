// Resumable upload of a meeting's recording (a tus 1.0 client of our own; see web/uploads.py).
//
// The file goes in pieces of CHUNK bytes, each with its SHA-256 (Upload-Checksum). When the
// connection drops, the client asks the server how far it got (HEAD) and goes on from there;
// the upload's address is kept in localStorage, so choosing the same file again after closing
// the page continues it too. Progress is shown as the bytes leave the browser.
(function () {
  "use strict";
  var CHUNK = 4 * 1024 * 1024;
  var TUS = "1.0.0";
  var MAX_FAILURES = 30; // about five minutes of retries before asking the person

  // SHA-256 in plain JavaScript, for pages served over plain http where crypto.subtle is
  // missing (browsers offer it only to secure origins). Constants from the primes, as FIPS 180-4.
  var K = new Uint32Array(64), H0 = new Uint32Array(8);
  (function () {
    var n = 0, candidate = 2;
    while (n < 64) {
      var prime = true;
      for (var d = 2; d * d <= candidate; d++) if (candidate % d === 0) { prime = false; break; }
      if (prime) {
        if (n < 8) H0[n] = ((Math.sqrt(candidate) % 1) * 4294967296) >>> 0;
        K[n] = ((Math.cbrt(candidate) % 1) * 4294967296) >>> 0;
        n++;
      }
      candidate++;
    }
  })();

  function sha256js(bytes) {
    var length = bytes.length, padded = ((length + 9 + 63) >> 6) << 6;
    var m = new Uint8Array(padded);
    m.set(bytes);
    m[length] = 0x80;
    var view = new DataView(m.buffer);
    view.setUint32(padded - 8, Math.floor(length / 0x20000000));
    view.setUint32(padded - 4, (length * 8) >>> 0);
    var h = new Uint32Array(H0), w = new Uint32Array(64);
    for (var at = 0; at < padded; at += 64) {
      var i;
      for (i = 0; i < 16; i++) w[i] = view.getUint32(at + i * 4);
      for (i = 16; i < 64; i++) {
        var x = w[i - 15], y = w[i - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (k + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7)))
          + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10)))
          + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
    }
    var out = new Uint8Array(32), outView = new DataView(out.buffer);
    for (var j = 0; j < 8; j++) outView.setUint32(j * 4, h[j]);
    return out;
  }
  window.diemcauSha256 = sha256js; // the browser test checks it against Python's hashlib

  function sha256(buffer) {
    if (window.crypto && window.crypto.subtle) {
      return window.crypto.subtle.digest("SHA-256", buffer).then(function (d) { return new Uint8Array(d); });
    }
    return Promise.resolve(sha256js(new Uint8Array(buffer)));
  }

  function base64(bytes) {
    var text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  }

  function utf8base64(text) { return base64(new TextEncoder().encode(text)); }

  function wait(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  // One HTTP exchange; rejects only when no answer came (a dropped connection).
  function send(method, url, headers, body, onProgress) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      headers["Tus-Resumable"] = TUS;
      Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
      if (onProgress) xhr.upload.onprogress = function (e) { onProgress(e.loaded); };
      xhr.onload = function () { resolve(xhr); };
      xhr.onerror = xhr.onabort = xhr.ontimeout = function () { reject(new Error("network")); };
      xhr.send(body === undefined ? null : body);
    });
  }

  function message(xhr, fallback) {
    try { return JSON.parse(xhr.responseText).message || fallback; } catch (e) { return fallback; }
  }

  function mb(bytes) { return (bytes / 1048576).toFixed(1).replace(".", ",") + " MB"; }

  // The meeting's recordings still being worked on show their stage and percentage.
  function watch(item) {
    var id = item.dataset.recording, place = item.querySelector(".rec-status");
    var timer = setInterval(function () {
      fetch("/recordings/" + id + "/progress", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (p) {
          if (!p) return;
          place.textContent = p.status_vi + (p.status === "transcribing" ? " " + p.percent + "%" : "");
          if (["transcribing", "queued", "transcribed", "drafted", "uploaded"].indexOf(p.status) < 0) clearInterval(timer);
        }).catch(function () {});
    }, 5000);
  }
  document.querySelectorAll("#recordings li[data-active='1']").forEach(watch);

  var form = document.getElementById("upload");
  if (!form) return;
  var input = form.querySelector("input[type=file]");
  var bar = form.querySelector("progress");
  var status = form.querySelector(".upload-status");
  var button = form.querySelector("button[type=submit]");
  var meeting = form.dataset.meeting, csrf = form.dataset.csrf;

  function show(text) { status.textContent = text; }

  function progress(file, sent) {
    var percent = file.size ? Math.floor((sent / file.size) * 100) : 100;
    bar.hidden = false;
    bar.value = percent;
    show("Đã gửi " + mb(sent) + " / " + mb(file.size) + " (" + percent + "%)");
  }

  // Where the stored bytes end, asked until the server answers; null when the upload is gone.
  function offsetOf(url, state) {
    return send("HEAD", url, {}).then(function (xhr) {
      if (xhr.status === 200) return parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
      if (xhr.status === 423) return wait(1000).then(function () { return offsetOf(url, state); });
      return null;
    }, function () {
      state.failures++;
      if (state.failures > MAX_FAILURES) throw new Error("offline");
      return wait(Math.min(10000, 500 * state.failures)).then(function () { return offsetOf(url, state); });
    });
  }

  function create(file) {
    return send("POST", "/uploads", {
      "X-CSRF-Token": csrf,
      "Upload-Length": String(file.size),
      "Upload-Metadata": "meeting " + utf8base64(meeting) + ",filename " + utf8base64(file.name),
    }).then(function (xhr) {
      if (xhr.status !== 201) throw new Error(message(xhr, "Máy chủ không nhận tệp (mã " + xhr.status + ")."));
      return xhr.getResponseHeader("Location");
    });
  }

  async function upload(file) {
    var key = "diemcau-upload:" + meeting + ":" + file.name + ":" + file.size + ":" + file.lastModified;
    var state = { failures: 0, reconnects: 0, resumedFrom: 0 };
    var url = localStorage.getItem(key), offset = null;
    if (url) offset = await offsetOf(url, state);
    if (offset === null) {
      url = await create(file);
      offset = 0;
      localStorage.setItem(key, url);
    }
    for (;;) {
      progress(file, offset);
      var piece = await file.slice(offset, Math.min(offset + CHUNK, file.size)).arrayBuffer();
      var digest = await sha256(piece);
      var xhr;
      try {
        xhr = await send("PATCH", url, {
          "X-CSRF-Token": csrf,
          "Content-Type": "application/offset+octet-stream",
          "Upload-Offset": String(offset),
          "Upload-Checksum": "sha256 " + base64(digest),
        }, piece, function (loaded) { progress(file, offset + loaded); });
      } catch (dropped) {
        state.reconnects++;
        show("Mất kết nối, đang nối lại… (lần " + state.reconnects + ")");
        form.dataset.reconnects = String(state.reconnects);
        await wait(Math.min(10000, 500 * ++state.failures));
        offset = await offsetOf(url, state);
        if (offset === null) throw new Error("Lượt tải lên đã hết hạn; xin chọn tệp và tải lại.");
        state.resumedFrom = offset;
        continue;
      }
      state.failures = 0;
      if (xhr.status === 204) {
        var recording = xhr.getResponseHeader("Diemcau-Recording");
        if (recording) {
          localStorage.removeItem(key);
          return { id: recording, reconnects: state.reconnects, from: state.resumedFrom };
        }
        offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10);
      } else if ([408, 409, 423, 460].indexOf(xhr.status) >= 0) {
        await wait(500); // out of step, busy, or damaged on the way: ask where to go on from
        offset = await offsetOf(url, state);
        if (offset === null) throw new Error("Lượt tải lên đã hết hạn; xin chọn tệp và tải lại.");
      } else {
        localStorage.removeItem(key);
        throw new Error(message(xhr, "Máy chủ không nhận tệp (mã " + xhr.status + ")."));
      }
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = input.files[0];
    if (!file) { show("Xin chọn tệp ghi âm hoặc ghi hình."); return; }
    button.disabled = true;
    form.dataset.state = "sending";
    upload(file).then(function (done) {
      var recording = done.id;
      bar.value = 100;
      form.dataset.state = "done";
      show("Đã nhận bản ghi số " + recording + ". Máy chủ đang chép lời." + (done.reconnects
        ? " Mất kết nối " + done.reconnects + " lần, đã tải tiếp từ " + mb(done.from) + "."
        : ""));
      var list = document.getElementById("recording-list");
      var item = document.createElement("li");
      item.dataset.recording = recording;
      item.innerHTML = '<a></a> — <span class="rec-status">chờ chép lời</span>';
      item.querySelector("a").href = "/recordings/" + recording;
      item.querySelector("a").textContent = "Bản ghi số " + recording + " (" + file.name + ")";
      list.appendChild(item);
      var none = document.getElementById("no-recordings");
      if (none) none.remove();
      watch(item);
    }, function (error) {
      form.dataset.state = "refused";
      show(error.message === "offline"
        ? "Không kết nối được máy chủ. Chọn lại tệp và bấm Tải lên để tiếp tục từ chỗ đã gửi."
        : error.message);
    }).finally(function () { button.disabled = false; });
  });
})();
