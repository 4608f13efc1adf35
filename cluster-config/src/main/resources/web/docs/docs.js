// Starts Swagger UI on the page's OpenAPI document (a file, not inline: the CSP allows no inline script).
// Requests go to this app with the browser's session cookie; no validator or other outside host is called.
window.addEventListener('load', function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({
    url: root.getAttribute('data-spec'),
    dom_id: '#swagger-ui',
    deepLinking: true,
    validatorUrl: null,
    withCredentials: true
  });
});
