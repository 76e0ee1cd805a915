#!/usr/bin/env pwsh
# CloudAge build bootstrap for PowerShell: same rules as build.sh. Finds (or installs) the .NET SDK global.json
# asks for, rebuilds the build program only when its inputs changed, and runs it directly.
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Temp = Join-Path $Root '.nuke/temp'
$Project = Join-Path $Root 'build/_build.csproj'
$Dll = Join-Path $Root 'build/bin/Bootstrap/net10.0/_build.dll'
$Stamp = Join-Path $Temp 'build.stamp'
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

function OutputsSum {
    $files = @(Get-ChildItem (Split-Path $Dll) -Filter '*.dll' | Where-Object { $_.Name -eq '_build.dll' -or $_.Name -like 'CloudAge.*.dll' } | Sort-Object Name)
    ($files | ForEach-Object { (Get-FileHash $_.FullName -Algorithm SHA256).Hash }) -join ','
}

function InputsChanged {
    if (-not (Test-Path $Stamp)) { return $true }
    $since = (Get-Item $Stamp).LastWriteTimeUtc
    $inputs = Get-ChildItem (Join-Path $Root 'build') -Recurse | Where-Object { $_.FullName -notmatch '[\\/](bin|obj)([\\/]|$)' -and ($_.PSIsContainer -or $_.Extension -in '.cs', '.csproj') }
    $inputs += Get-Item (Join-Path $Root 'global.json'), (Join-Path $Root 'Directory.Build.props'), (Join-Path $Root 'Directory.Packages.props')
    return [bool]($inputs | Where-Object { $_.LastWriteTimeUtc -gt $since } | Select-Object -First 1)
}

if ((Test-Path $Dll) -and -not (InputsChanged)) {
    $lines = Get-Content $Stamp
    if ($lines.Count -ge 2 -and (Test-Path $lines[0]) -and $lines[1] -eq (OutputsSum)) {
        & $lines[0] $Dll @args
        exit $LASTEXITCODE
    }
}

$Wanted = (Get-Content (Join-Path $Root 'global.json') | ConvertFrom-Json).sdk.version
$Band = $Wanted.Substring(0, $Wanted.Length - 2)
$Dotnet = (Get-Command dotnet -ErrorAction SilentlyContinue)?.Source
$ok = $Dotnet -and (& $Dotnet --list-sdks | ForEach-Object { ($_ -split ' ')[0] } | Where-Object { $_.StartsWith($Band) -and [version]$_ -ge [version]$Wanted })
if (-not $ok) {
    $Install = Join-Path $Temp 'dotnet-win'
    New-Item -ItemType Directory -Force $Temp | Out-Null
    Write-Host "build.ps1: no .NET SDK $Wanted on PATH; installing it into .nuke/temp/dotnet-win"
    Invoke-WebRequest 'https://dot.net/v1/dotnet-install.ps1' -OutFile (Join-Path $Temp 'dotnet-install.ps1')
    & (Join-Path $Temp 'dotnet-install.ps1') -JsonFile (Join-Path $Root 'global.json') -InstallDir $Install -NoPath
    $env:DOTNET_ROOT = $Install
    $Dotnet = Join-Path $Install 'dotnet'
}

New-Item -ItemType Directory -Force $Temp | Out-Null
Remove-Item $Stamp -ErrorAction SilentlyContinue
$started = [DateTime]::UtcNow
& $Dotnet build $Project -c Bootstrap -p:Optimize=true -nologo -v:quiet *> (Join-Path $Temp 'build.log')
if ($LASTEXITCODE -ne 0) {
    Get-Content (Join-Path $Temp 'build.log') | Write-Host
    Write-Host 'build.ps1: the build program did not compile (log above, also in .nuke/temp/build.log)'
    exit 2
}
& $Dotnet $Dll --write-schema --no-logo | Out-Null
Set-Content $Stamp @($Dotnet, (OutputsSum))
(Get-Item $Stamp).LastWriteTimeUtc = $started
& $Dotnet $Dll @args
exit $LASTEXITCODE
