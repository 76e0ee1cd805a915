#!/usr/bin/env pwsh
# CloudAge build bootstrap for PowerShell: same rules as build.sh. Finds (or installs) the .NET SDK global.json
# asks for, rebuilds the build program only when its inputs changed, and runs it directly.
$ErrorActionPreference = 'Stop'
$Root = $PSScriptRoot
$Temp = Join-Path $Root '.nuke/temp'
$Project = Join-Path $Root 'build/_build.csproj'
$Out = Join-Path $Root 'build/bin/Bootstrap/program'
$Dll = Join-Path $Out '_build.dll'
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
# A fresh output folder (publish keeps a newer, possibly corrupted, file); bin/ and obj/ of every build project exist
# before the stamp's time, so creating them never looks like an edit to the next run.
Remove-Item $Out -Recurse -Force -ErrorAction SilentlyContinue
Get-ChildItem (Join-Path $Root 'build') -Recurse -Filter '*.csproj' | Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } |
    ForEach-Object { New-Item -ItemType Directory -Force (Join-Path $_.DirectoryName 'bin'), (Join-Path $_.DirectoryName 'obj') | Out-Null }
$started = [DateTime]::UtcNow
$log = Join-Path $Temp 'build.log'
Write-Host 'build.ps1: compiling the build program (first run, or build/ changed); the first time takes a minute or two. Log: .nuke/temp/build.log'
$clock = [Diagnostics.Stopwatch]::StartNew()
function Publish([string[]] $extra) {
    & $Dotnet publish $Project -c Bootstrap -p:Optimize=true -o $Out -nologo -tl:off -v:minimal -clp:NoSummary @extra 2>&1 |
        Tee-Object -FilePath $log | ForEach-Object {
            $line = "$_"
            if ($line -match ' -> .*[\\/]$') { Write-Host "build.ps1:   published the build program ($([int]$clock.Elapsed.TotalSeconds) s)" }
            elseif ($line -match '^\s*(\S+) -> ') { Write-Host "build.ps1:   compiled $($Matches[1]) ($([int]$clock.Elapsed.TotalSeconds) s)" }
            elseif ($line -match ': error ') { Write-Host $line }
        }
    return $LASTEXITCODE
}
# ReadyToRun (precompiled code) where the runtime identifier is known and the crossgen2 package can be had.
$Rid = [System.Runtime.InteropServices.RuntimeInformation]::RuntimeIdentifier
$status = if ($Rid) { Publish @('-r', $Rid, '--self-contained', 'false', '-p:PublishReadyToRun=true') } else { Publish @() }
if ($status -ne 0 -and (Select-String -Path $log -Pattern 'crossgen' -Quiet) -and -not (Select-String -Path $log -Pattern 'error CS' -Quiet)) {
    Write-Host 'build.ps1: ReadyToRun compilation is not available here (no crossgen2 package on the feed); building without it'
    $status = Publish @()
}
if ($status -ne 0 -or -not (Test-Path $Dll)) {
    Write-Host 'build.ps1: the build program did not compile (errors above, full log in .nuke/temp/build.log)'
    exit 1
}
& $Dotnet $Dll --write-schema --no-logo | Out-Null
Set-Content $Stamp @($Dotnet, (OutputsSum))
(Get-Item $Stamp).LastWriteTimeUtc = $started
Write-Host "build.ps1: build program ready in $([int]$clock.Elapsed.TotalSeconds) s"
& $Dotnet $Dll @args
exit $LASTEXITCODE
