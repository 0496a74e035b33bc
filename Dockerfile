# syntax=docker/dockerfile:1
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/ src/
COPY samples/posts.json samples/posts.json
RUN dotnet publish src/Feeds.Server -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080 \
    Feeds__DataDirectory=/data
# A new volume takes the owner of the directory it is mounted on: without this, root's, and the service could not
# write its database. tests/Feeds.Server.Tests runs this instruction and the service as an unprivileged user.
RUN mkdir -p "$Feeds__DataDirectory" && chown "$APP_UID" "$Feeds__DataDirectory"
# The static directory of feed files (Feeds:Publishing:StaticDirectory) that a front server reads, when one is mounted.
RUN mkdir -p /srv/feeds/static && chown "$APP_UID" /srv/feeds/static
VOLUME /data
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "Feeds.Server.dll"]
