// After a passkey is registered, go on to the page the user was going to (data-next of the placeholder).
document.addEventListener("otp_webauthn.register_complete", function () {
  var placeholder = document.getElementById("passkey-registration-placeholder");
  var next = placeholder && placeholder.dataset.next;
  window.location.assign(next && next.charAt(0) === "/" && next.charAt(1) !== "/" ? next : "/");
});
