using CloudAge.App;

var app = ServiceApp.Build(args);
await app.RunAsync();
