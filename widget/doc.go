// Package widget is the public booking flow's logic without HTTP: the event
// list, the event page with its Book another block, the signed selection
// that travels through the steps in form fields (the widget runs in
// third-party iframes where cookies are blocked), and the final booking
// through the core. Handlers parse requests, call Flow, and render.
package widget
