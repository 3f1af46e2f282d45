Attribute VB_Name = "ThiduaRibbon"
Option Explicit

' Ribbon callbacks of the "Thi dua" tab (labels live in customUI.xml).
' Each button runs one Python function of addin.macros on the active workbook.

Sub TemplatesButton(control As IRibbonControl)
    RunPython "import addin.macros; addin.macros.templates_button()"
End Sub

Sub ConsolidateButton(control As IRibbonControl)
    RunPython "import addin.macros; addin.macros.consolidate_button()"
End Sub

Sub DocumentsButton(control As IRibbonControl)
    RunPython "import addin.macros; addin.macros.documents_button()"
End Sub

Sub OpenFolderButton(control As IRibbonControl)
    RunPython "import addin.macros; addin.macros.open_folder_button()"
End Sub
